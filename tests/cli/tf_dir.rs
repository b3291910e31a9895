//! What the end-to-end tests that read configuration share: the providers
//! of two accounts, and a scratch configuration directory.

/// The providers of the configurations: ours (123456789012, moto's
/// default) and `aws.legacy`, an assumed role into 222222222222.
pub const TWO_ACCOUNTS: &str = r#"provider "aws" {
  region = "us-east-1"
}

provider "aws" {
  alias  = "legacy"
  region = "us-east-1"
  assume_role {
    role_arn = "arn:aws:iam::222222222222:role/read"
  }
}
"#;

/// A configuration directory under the system's temporary directory, named
/// after the test and the process; removed when dropped.
pub struct TfDir(pub std::path::PathBuf);

impl TfDir {
    /// A directory `cname-preflight-{kind}-{name}-{pid}` with `main.tf`.
    pub fn new(kind: &str, name: &str, main_tf: &str) -> TfDir {
        let dir = std::env::temp_dir().join(format!(
            "cname-preflight-{kind}-{name}-{}",
            std::process::id()
        ));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("main.tf"), main_tf).unwrap();
        TfDir(dir)
    }

    pub fn path(&self) -> &str {
        self.0.to_str().unwrap()
    }
}

impl Drop for TfDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}
