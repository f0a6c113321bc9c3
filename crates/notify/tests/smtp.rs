//! The notifier against a real SMTP server (aiosmtpd, started by the test).

#![allow(clippy::unwrap_used)] // test harness: a failed set-up step should abort the test loudly

use std::time::{Duration, Instant};

use datamill_notify::testing::{SmtpServer, free_port, plain_config};
use datamill_notify::{Notifier, PipelineEvent, PipelineOutcome};
use uuid::Uuid;

#[tokio::test]
async fn pipeline_ends_are_mailed_to_every_recipient() {
    let server = SmtpServer::start();
    let notifier =
        Notifier::new(server.config("ml-team@example.com, Ops <ops@example.com>")).unwrap();
    let id = Uuid::new_v4();
    notifier
        .pipeline_ended(&PipelineEvent {
            execution_id: id,
            outcome: PipelineOutcome::Done,
            output: Some("coco_aug/TRAIN/v1.0.1".to_owned()),
            images: Some(118_287),
            annotations: Some(860_001),
            error: None,
            link: Some(format!("http://datamill.local/pipelines/{id}")),
        })
        .await
        .unwrap();
    notifier
        .pipeline_ended(&PipelineEvent {
            execution_id: id,
            outcome: PipelineOutcome::Failed,
            output: None,
            images: None,
            annotations: None,
            error: Some("images/0001.jpg: cannot decode".to_owned()),
            link: None,
        })
        .await
        .unwrap();

    let mails = server.received();
    assert_eq!(mails.len(), 2, "{mails:?}");
    let done = mails
        .iter()
        .find(|mail| mail.contains("Subject: [Datamill] DONE: coco_aug/TRAIN/v1.0.1"))
        .unwrap_or_else(|| panic!("{mails:?}"));
    assert!(
        done.contains("From: Datamill <datamill@example.com>"),
        "{done}"
    );
    assert!(
        done.contains("ml-team@example.com") && done.contains("Ops <ops@example.com>"),
        "{done}"
    );
    assert!(
        done.contains("Images: 118287") && done.contains(&id.to_string()),
        "{done}"
    );
    // aiosmtpd records the envelope: both recipients got it.
    assert!(
        done.contains("X-RcptTo: ml-team@example.com, ops@example.com"),
        "{done}"
    );
    let failed = mails
        .iter()
        .find(|mail| mail.contains("Subject: [Datamill] FAILED: a pipeline"))
        .unwrap_or_else(|| panic!("{mails:?}"));
    assert!(
        failed.contains("Error: images/0001.jpg: cannot decode"),
        "{failed}"
    );
}

#[tokio::test]
async fn a_server_that_is_gone_is_an_error_not_a_hang() {
    let notifier = Notifier::new(plain_config(free_port(), "ml-team@example.com")).unwrap();
    let started = Instant::now();
    let error = notifier
        .send("subject", "body".to_owned())
        .await
        .unwrap_err();
    assert!(started.elapsed() < Duration::from_secs(30));
    assert!(error.to_string().contains("SMTP server"), "{error}");
}
