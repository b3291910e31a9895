variable "name" {
  type = string
}

output "alias" {
  value     = "api.${var.name}"
  sensitive = true
}

resource "aws_cloudfront_distribution" "inner" {
  aliases = ["INNER.${var.name}"]
}
