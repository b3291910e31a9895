# Secrets reach aliases four ways: a sensitive variable (its default, a
# tfvars file, TF_VAR_), a local derived from it, a module output derived
# from it, and sensitive(). None may be printed in any format.
variable "secret_domain" {
  type      = string
  default   = "topsecret-default.example.com"
  sensitive = true
}

variable "plain" {
  type    = string
  default = "plain.example.com"
}

locals {
  derived = "www.${var.secret_domain}"
}

module "child" {
  source = "./child"
  name   = var.secret_domain
}

resource "aws_cloudfront_distribution" "direct" {
  aliases = [var.secret_domain, var.plain]
}

resource "aws_cloudfront_distribution" "local" {
  aliases = [local.derived]
}

resource "aws_cloudfront_distribution" "output" {
  aliases = [module.child.alias]
}

resource "aws_cloudfront_distribution" "wrapped" {
  aliases = [sensitive("topsecret-wrapped.example.com")]
}
