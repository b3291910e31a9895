"""Generates a Terraform monorepo for the HCL-mode benchmark.

    python3 benches/make_monorepo.py OUT_DIR [STACKS] [FILES_PER_STACK]

Each stack is a root module of FILES_PER_STACK .tf files in the shapes real
repositories have (providers, variables with defaults, locals, outputs, S3,
IAM, security groups), sharing three local modules. One stack in four has a
CloudFront distribution (directly, through a module, or per for_each entry),
50 distributions in all with the defaults (200 stacks of 10 files).
"""
import os
import sys

out = sys.argv[1]
stacks = int(sys.argv[2]) if len(sys.argv) > 2 else 200
per_stack = int(sys.argv[3]) if len(sys.argv) > 3 else 10


DISTRIBUTION = """resource "aws_cloudfront_distribution" "{name}" {{
  enabled = true
  aliases = {aliases}

  origin {{
    domain_name = {origin}
    origin_id   = "primary"
  }}

  default_cache_behavior {{
    allowed_methods        = ["GET", "HEAD"]
    cached_methods         = ["GET", "HEAD"]
    target_origin_id       = "primary"
    viewer_protocol_policy = "redirect-to-https"
  }}

  restrictions {{
    geo_restriction {{
      restriction_type = "none"
    }}
  }}

  viewer_certificate {{
    acm_certificate_arn = {certificate}
    ssl_support_method  = "sni-only"
  }}
}}
"""


def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        f.write(text)


write(f"{out}/modules/cdn/main.tf", """
variable "aliases" {
  type = list(string)
}

variable "certificate_arn" {
  type = string
}

variable "origin_domain" {
  type = string
}

""" + DISTRIBUTION.format(
    name="this", aliases="var.aliases", origin="var.origin_domain", certificate="var.certificate_arn"
) + """
output "domain_name" {
  value = aws_cloudfront_distribution.this.domain_name
}
""")
write(f"{out}/modules/bucket/main.tf", """
variable "name" {
  type = string
}

resource "aws_s3_bucket" "this" {
  bucket = var.name
}

resource "aws_s3_bucket_public_access_block" "this" {
  bucket                  = aws_s3_bucket.this.id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

output "regional_domain_name" {
  value = aws_s3_bucket.this.bucket_regional_domain_name
}
""")

filler = [
    ("providers.tf", lambda s: f"""
terraform {{
  required_version = ">= 1.5"
  required_providers {{
    aws = {{
      source  = "hashicorp/aws"
      version = "~> 5.0"
    }}
  }}
}}

provider "aws" {{
  region = "us-east-1"
  default_tags {{
    tags = {{
      stack = "stack-{s}"
    }}
  }}
}}
"""),
    ("variables.tf", lambda s: f"""
variable "environment" {{
  type    = string
  default = "prod"
}}

variable "domain" {{
  type    = string
  default = "stack-{s}.example.com"
}}

variable "certificate_arn" {{
  type    = string
  default = "arn:aws:acm:us-east-1:111111111111:certificate/00000000-0000-0000-0000-{s:012d}"
}}

variable "cidr" {{
  type    = string
  default = "10.{s % 250}.0.0/16"
}}
"""),
    ("locals.tf", lambda s: f"""
locals {{
  name = "stack-{s}-${{var.environment}}"
  tags = {{
    owner       = "team-{s % 17}"
    environment = var.environment
  }}
}}
"""),
    ("outputs.tf", lambda s: """
output "bucket" {
  value = module.bucket.regional_domain_name
}
"""),
    ("storage.tf", lambda s: f"""
module "bucket" {{
  source = "../../modules/bucket"
  name   = "${{local.name}}-assets"
}}

resource "aws_s3_bucket" "logs" {{
  bucket = "${{local.name}}-logs"
  tags   = local.tags
}}

resource "aws_s3_bucket_versioning" "logs" {{
  bucket = aws_s3_bucket.logs.id
  versioning_configuration {{
    status = "Enabled"
  }}
}}
"""),
    ("iam.tf", lambda s: f"""
data "aws_iam_policy_document" "assume" {{
  statement {{
    actions = ["sts:AssumeRole"]
    principals {{
      type        = "Service"
      identifiers = ["lambda.amazonaws.com"]
    }}
  }}
}}

resource "aws_iam_role" "app" {{
  name               = "${{local.name}}-app"
  assume_role_policy = data.aws_iam_policy_document.assume.json
  tags               = local.tags
}}
"""),
    ("network.tf", lambda s: """
resource "aws_vpc" "main" {
  cidr_block           = var.cidr
  enable_dns_hostnames = true
  tags                 = local.tags
}

resource "aws_security_group" "web" {
  name   = "${local.name}-web"
  vpc_id = aws_vpc.main.id

  ingress {
    from_port   = 443
    to_port     = 443
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }

  egress {
    from_port   = 0
    to_port     = 0
    protocol    = "-1"
    cidr_blocks = ["0.0.0.0/0"]
  }
}
"""),
]

distributions = 0
for s in range(stacks):
    d = f"{out}/stacks/stack-{s:04d}"
    for i in range(per_stack - 1):
        name, text = filler[i % len(filler)]
        if i >= len(filler):
            name = f"extra-{i}.tf"
        write(f"{d}/{name}", text(s))
    cdn = ""
    if s % 4 == 0 and distributions < 50:
        kind = (s // 4) % 3
        if kind == 0:
            cdn = """
module "cdn" {
  source          = "../../modules/cdn"
  aliases         = [var.domain, "www.${var.domain}"]
  certificate_arn = var.certificate_arn
  origin_domain   = module.bucket.regional_domain_name
}
"""
            distributions += 1
        elif kind == 1:
            cdn = DISTRIBUTION.format(
                name="site",
                aliases='var.certificate_arn != "" ? concat([var.domain], ["static.${var.domain}"]) : []',
                origin="module.bucket.regional_domain_name",
                certificate="var.certificate_arn",
            )
            distributions += 1
        else:
            cdn = """
locals {
  sites = {
    app = { aliases = ["app.${var.domain}"] }
    api = { aliases = ["api.${var.domain}"] }
  }
}

module "site" {
  for_each        = local.sites
  source          = "../../modules/cdn"
  aliases         = try(each.value.aliases, [])
  certificate_arn = var.certificate_arn
  origin_domain   = module.bucket.regional_domain_name
}
"""
            distributions += 2
    write(f"{d}/cdn.tf", cdn or "# No CDN in this stack.\n")

files = sum(len(f) for _, _, f in os.walk(out))
print(f"{out}: {stacks} stacks, {files} .tf files, {distributions} distributions")
