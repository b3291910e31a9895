//! `serve` asking AWS with the service's own credentials: moto's server
//! holds the alias the plan claims, so the run fails with an `alias-taken`
//! outcome and its fix; an AWS endpoint that refuses connections fails the
//! run with the reason, never passes it.

use super::moto;
use super::serve::{Service, fixture, message, outcomes, status};
use super::tfc_standin::{Plan, StandIn};

const CREDENTIALS: [(&str, &str); 2] = [
    ("AWS_ACCESS_KEY_ID", "testing"),
    ("AWS_SECRET_ACCESS_KEY", "testing"),
];

#[test]
fn a_plan_claiming_a_held_alias_fails_with_its_holder_and_fix() {
    let moto = moto::Moto::start();
    // The stand-in runs its own runtime; seeding moto gets another.
    let seeding = tokio::runtime::Runtime::new().unwrap();
    let id = seeding.block_on(async {
        let conf = moto.config().await;
        let cert = moto
            .request_certificate(&conf, "example.com", &["*.example.com"])
            .await;
        moto.create_distribution(&conf, &["www.example.com"], Some(&cert))
            .await
            .0
    });
    let standin = StandIn::start();
    let service = Service::start_with(
        &standin,
        &["--endpoint-url", &moto.url, "--no-dns"],
        &CREDENTIALS,
    );
    standin.serve_plan(
        "held",
        Plan {
            body: fixture("clean-create.json"),
            not_ready: 0,
        },
    );
    assert_eq!(
        service.post_signed(&standin.payload("held", "post_plan", None)),
        200
    );
    let result = standin.result_of("held", &mut Vec::new());
    assert_eq!(status(&result), "failed", "{result}");
    let outcomes = outcomes(&result);
    assert_eq!(outcomes.len(), 1, "{result}");
    let a = &outcomes[0]["attributes"];
    assert_eq!(a["outcome-id"], "alias-taken:www.example.com");
    assert_eq!(a["tags"]["Severity"][0]["level"], "error");
    let body = a["body"].as_str().unwrap();
    assert!(body.contains("aws cloudfront associate-alias"), "{body}");
    assert!(body.contains(&id), "{body}");
    service.stop(&["www.example.com"]);
}

#[test]
fn an_aws_endpoint_that_cannot_be_reached_fails_the_run_with_the_reason() {
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", closed.local_addr().unwrap());
    drop(closed);
    let standin = StandIn::start();
    let service = Service::start_with(
        &standin,
        &["--endpoint-url", &url, "--no-dns", "--timeout", "5"],
        &CREDENTIALS,
    );
    standin.serve_plan(
        "down",
        Plan {
            body: fixture("clean-create.json"),
            not_ready: 0,
        },
    );
    assert_eq!(
        service.post_signed(&standin.payload("down", "post_plan", None)),
        200
    );
    let result = standin.result_of("down", &mut Vec::new());
    assert_eq!(status(&result), "failed", "{result}");
    assert!(
        message(&result).contains("AWS could not be asked"),
        "{result}"
    );
    service.stop(&["www.example.com"]);
}
