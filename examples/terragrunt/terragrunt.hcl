# In each unit's terragrunt.hcl (or an included root file): after
# `terragrunt plan -out=tfplan`, check the unit's plan. For every unit at
# once, `terragrunt run-all show -json tfplan | cname-preflight check -`
# also finds an alias claimed by two units.
terraform {
  after_hook "cname_preflight" {
    commands     = ["plan"]
    execute      = ["sh", "-c", "terraform show -json tfplan > tfplan.json && cname-preflight check tfplan.json"]
    run_on_error = false
  }
}
