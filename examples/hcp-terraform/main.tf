# Registers a running `cname-preflight serve` as a run task of an HCP
# Terraform (or Terraform Enterprise) organization and attaches it to a
# workspace at the post-plan stage, mandatory: a plan that would fail with
# CNAMEAlreadyExists stops the run before apply.
#
# The same HMAC key goes to the service (CNAME_PREFLIGHT_HMAC_KEY or
# --hmac-key-file) and to the run task.

terraform {
  required_providers {
    tfe = {
      source  = "hashicorp/tfe"
      version = ">= 0.58"
    }
  }
}

variable "organization" {
  type = string
}

variable "workspace_name" {
  type = string
}

variable "task_url" {
  type        = string
  description = "The https URL `cname-preflight serve` answers on."
}

variable "hmac_key" {
  type      = string
  sensitive = true
}

data "tfe_workspace" "app" {
  name         = var.workspace_name
  organization = var.organization
}

resource "tfe_organization_run_task" "cname_preflight" {
  organization = var.organization
  name         = "cname-preflight"
  url          = var.task_url
  hmac_key     = var.hmac_key
  enabled      = true
  description  = "CloudFront aliases this plan would fail to add (CNAMEAlreadyExists), who holds each, and the fix"
}

resource "tfe_workspace_run_task" "cname_preflight" {
  workspace_id      = data.tfe_workspace.app.id
  task_id           = tfe_organization_run_task.cname_preflight.id
  enforcement_level = "mandatory"
  stages            = ["post_plan"]
}
