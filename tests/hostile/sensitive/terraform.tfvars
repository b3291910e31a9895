secret_domain = "topsecret-tfvars.example.com"
