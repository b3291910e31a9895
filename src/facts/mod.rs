//! Facts from outside the inputs (AWS, DNS), gathered once before checks.
//!
//! Checks never do I/O: they read a [`Facts`] value. When no network service
//! is asked, facts are empty and say why, so every report can state plainly
//! that aliases held outside the inputs were not looked up.

/// Everything gathered from network services for one run.
#[derive(Debug, Clone)]
pub struct Facts {
    pub aws: AwsFacts,
}

#[derive(Debug, Clone)]
pub enum AwsFacts {
    /// AWS was not asked; the reason is shown in every report.
    NotAsked(NotAsked),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NotAsked {
    /// `--offline` was given.
    Offline,
    /// This version has no AWS look-ups; it checks the inputs only.
    NotSupported,
}

impl NotAsked {
    pub fn reason(self) -> &'static str {
        match self {
            NotAsked::Offline => "--offline",
            NotAsked::NotSupported => "this version checks the inputs only",
        }
    }
}

impl Facts {
    /// Facts for a run that asks no network service.
    pub fn fetch(offline: bool) -> Facts {
        let why = if offline {
            NotAsked::Offline
        } else {
            NotAsked::NotSupported
        };
        Facts {
            aws: AwsFacts::NotAsked(why),
        }
    }

    pub fn aws_asked(&self) -> bool {
        !matches!(self.aws, AwsFacts::NotAsked(_))
    }
}
