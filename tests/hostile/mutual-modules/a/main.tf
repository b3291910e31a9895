# `a` calls `b`, and `b` calls `a`: Terraform refuses the cycle; the check
# must still read both directories rather than skip them as called modules.
module "b" {
  source = "../b"
}

resource "aws_cloudfront_distribution" "a" {
  aliases = ["a.example.com"]
}
