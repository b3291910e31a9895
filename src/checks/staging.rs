//! `staging-has-aliases`: a staging distribution (continuous deployment)
//! with alternate domain names. Viewers never reach a staging distribution
//! by name: "Viewers cannot send requests directly to a staging
//! distribution using a DNS name, IP address, or CNAME. Instead, viewers
//! send requests to the primary (production) distribution, and CloudFront
//! routes some of those requests to the staging distribution"
//! (<https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/understanding-continuous-deployment.html>),
//! and promoting the staging configuration keeps the primary's aliases:
//! "The primary distribution retains its Aliases"
//! (<https://docs.aws.amazon.com/cloudfront/latest/APIReference/API_UpdateDistributionWithStagingConfig.html>).
//! So the fix is to remove the aliases, never to move one onto the staging
//! distribution; the other checks skip these claims (see `checks::check`).

use super::about_claim;
use crate::diag::{Code, Finding};
use crate::model::{Claim, Resource};

pub(super) fn check(resources: &[Resource], claims: &[Claim], out: &mut Vec<Finding>) {
    for claim in claims {
        let r = &resources[claim.resource];
        if !r.staging {
            continue;
        }
        let shown = claim.shown();
        let what = if claim.alias.name().is_some() {
            format!("`{shown}`")
        } else {
            "an alias".to_string()
        };
        out.push(about_claim(
            Code::StagingHasAliases,
            claim,
            r,
            format!(
                "{what} is an alternate domain name of `{}`, a staging distribution",
                r.address
            ),
            "staging distributions hold no aliases",
            format!(
                "remove it from the aliases of `{}` (`aliases = []`): viewers reach a staging \
                 distribution only through its primary distribution's continuous deployment \
                 policy, and the primary keeps serving the name",
                r.address
            ),
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Action;

    #[test]
    fn every_alias_of_a_staging_distribution_is_an_error_and_others_pass() {
        let mut staging = Resource::for_test(
            "aws_cloudfront_distribution.staging",
            0,
            Action::Create,
            &[],
            &["www.example.com", "example.com"],
        );
        staging.staging = true;
        let primary = Resource::for_test(
            "aws_cloudfront_distribution.primary",
            0,
            Action::Create,
            &[],
            &["shop.example.com"],
        );
        let resources = vec![staging, primary];
        let claims = crate::input::claims(&resources);
        let mut out = Vec::new();
        check(&resources, &claims, &mut out);
        assert_eq!(out.len(), 2, "{out:#?}");
        assert!(out.iter().all(|f| f.code == Code::StagingHasAliases));
        assert!(out[0].help.contains("`aliases = []`"), "{}", out[0].help);
    }
}
