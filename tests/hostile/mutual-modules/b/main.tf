module "a" {
  source = "../a"
}

resource "aws_cloudfront_distribution" "b" {
  aliases = ["b.example.com"]
}
