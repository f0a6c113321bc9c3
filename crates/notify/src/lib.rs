//! Mail notifications: the pipeline worker mails `NOTIFY_TO` when a pipeline ends DONE or FAILED.
//!
//! SMTP through lettre on tokio with rustls (ring, the process's one provider). Settings come
//! from the environment ([`SmtpConfig::from_env`]); without `SMTP_HOST` nothing is sent. A mail
//! that cannot be sent is logged by the caller and never changes the pipeline's outcome.

#[cfg(feature = "test-support")]
pub mod testing;

use std::fmt;
use std::fmt::Write as _;
use std::time::Duration;

use datamill_platform::config::Env;
use lettre::message::{Mailbox, Mailboxes, header::ContentType};
use lettre::transport::smtp::authentication::Credentials;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use thiserror::Error;
use uuid::Uuid;

/// How the connection to the SMTP server is secured.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SmtpTls {
    /// TLS from the first byte (port 465).
    Tls,
    /// Plain, then `STARTTLS`, which the server must offer (port 587).
    StartTls,
    /// Plain text: a relay on the same host or a test server only.
    None,
}

impl std::str::FromStr for SmtpTls {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        match text.to_ascii_lowercase().as_str() {
            "tls" => Ok(Self::Tls),
            "starttls" => Ok(Self::StartTls),
            "none" => Ok(Self::None),
            _ => Err("use tls, starttls or none".to_owned()),
        }
    }
}

/// Where mails go and how they are sent.
#[derive(Clone)]
pub struct SmtpConfig {
    pub host: String,
    pub port: u16,
    pub tls: SmtpTls,
    pub credentials: Option<(String, String)>,
    pub from: Mailbox,
    pub to: Vec<Mailbox>,
}

impl fmt::Debug for SmtpConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SmtpConfig")
            .field("host", &self.host)
            .field("port", &self.port)
            .field("tls", &self.tls)
            .field("user", &self.credentials.as_ref().map(|(user, _)| user))
            .field("from", &self.from.to_string())
            .field("to", &self.to.len())
            .finish_non_exhaustive()
    }
}

impl SmtpConfig {
    /// `SMTP_HOST`, `SMTP_PORT` (587), `SMTP_TLS` (`starttls`; `tls` when the port is 465),
    /// `SMTP_USER` + `SMTP_PASSWORD` (both or neither), `SMTP_FROM`, `NOTIFY_TO` (comma-separated).
    /// `None` without `SMTP_HOST`; every problem is recorded in `env`.
    pub fn from_env(env: &mut Env) -> Option<Self> {
        let host = env.optional("SMTP_HOST", String::new(), "a host name");
        let port = env.optional("SMTP_PORT", 587u16, "a port number");
        let default_tls = if port == 465 {
            SmtpTls::Tls
        } else {
            SmtpTls::StartTls
        };
        let tls = env.optional("SMTP_TLS", default_tls, "tls, starttls or none");
        let user = env.optional("SMTP_USER", String::new(), "a user name");
        let password = env.optional("SMTP_PASSWORD", String::new(), "a password");
        let from = env.optional("SMTP_FROM", String::new(), "an address");
        let to = env.optional("NOTIFY_TO", String::new(), "addresses, comma-separated");
        if host.trim().is_empty() {
            for (name, value) in [
                ("SMTP_FROM", &from),
                ("NOTIFY_TO", &to),
                ("SMTP_USER", &user),
            ] {
                if !value.trim().is_empty() {
                    env.problem(format!(
                        "{name} is set but SMTP_HOST is not: set SMTP_HOST to send notifications"
                    ));
                }
            }
            return None;
        }
        let credentials = match (user.is_empty(), password.is_empty()) {
            (true, true) => None,
            (false, false) => Some((user, password)),
            _ => {
                env.problem("SMTP_USER and SMTP_PASSWORD go together: set both or neither");
                None
            }
        };
        let from = match from.parse::<Mailbox>() {
            Ok(from) => Some(from),
            Err(error) => {
                env.problem(format!(
                    "SMTP_FROM={from:?} is not a mail address ({error}); e.g. \"Datamill <datamill@example.com>\""
                ));
                None
            }
        };
        let to = match to.parse::<Mailboxes>() {
            Ok(to) if to.iter().next().is_some() => Some(to.into_iter().collect::<Vec<_>>()),
            Ok(_) => {
                env.problem("NOTIFY_TO is empty: name at least one address to notify");
                None
            }
            Err(error) => {
                env.problem(format!(
                    "NOTIFY_TO={to:?} is not a comma-separated list of addresses ({error})"
                ));
                None
            }
        };
        Some(Self {
            host,
            port,
            tls,
            credentials,
            from: from?,
            to: to?,
        })
    }
}

/// Why a mail was not sent.
#[derive(Debug, Error)]
pub enum NotifyError {
    #[error("cannot set up SMTP to {host}:{port}: {source}")]
    Setup {
        host: String,
        port: u16,
        #[source]
        source: lettre::transport::smtp::Error,
    },
    #[error("cannot build the mail: {0}")]
    Message(#[from] lettre::error::Error),
    #[error("the SMTP server refused or did not answer: {0}")]
    Send(#[from] lettre::transport::smtp::Error),
}

/// How a pipeline ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PipelineOutcome {
    Done,
    Failed,
}

/// What a notification says about a pipeline that ended.
#[derive(Debug, Clone, PartialEq)]
pub struct PipelineEvent {
    pub execution_id: Uuid,
    pub outcome: PipelineOutcome,
    /// `group/split/version` of the output, when there is one.
    pub output: Option<String>,
    pub images: Option<u64>,
    pub annotations: Option<u64>,
    /// Why it failed.
    pub error: Option<String>,
    /// Where the GUI shows the execution (`{PUBLIC_URL}/pipelines/{id}`), when known.
    pub link: Option<String>,
}

impl PipelineEvent {
    /// The subject and the plain-text body.
    #[must_use]
    pub fn render(&self) -> (String, String) {
        let what = self.output.as_deref().unwrap_or("a pipeline");
        let subject = match self.outcome {
            PipelineOutcome::Done => format!("[Datamill] DONE: {what}"),
            PipelineOutcome::Failed => format!("[Datamill] FAILED: {what}"),
        };
        let mut body = format!(
            "Pipeline execution {} ended {}.\n",
            self.execution_id,
            match self.outcome {
                PipelineOutcome::Done => "DONE",
                PipelineOutcome::Failed => "FAILED",
            }
        );
        if let Some(output) = &self.output {
            let _ = writeln!(body, "Output: {output}");
        }
        if let Some(images) = self.images {
            let _ = writeln!(body, "Images: {images}");
        }
        if let Some(annotations) = self.annotations {
            let _ = writeln!(body, "Annotations: {annotations}");
        }
        if let Some(error) = &self.error {
            let _ = writeln!(body, "Error: {error}");
        }
        if let Some(link) = &self.link {
            let _ = writeln!(body, "Details: {link}");
        }
        (subject, body)
    }
}

/// Sends notifications over one SMTP transport (connections are pooled by lettre).
#[derive(Clone)]
pub struct Notifier {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    config: SmtpConfig,
}

impl fmt::Debug for Notifier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Notifier")
            .field("config", &self.config)
            .finish_non_exhaustive()
    }
}

impl Notifier {
    pub fn new(config: SmtpConfig) -> Result<Self, NotifyError> {
        let setup = |source| NotifyError::Setup {
            host: config.host.clone(),
            port: config.port,
            source,
        };
        let builder = match config.tls {
            SmtpTls::Tls => {
                AsyncSmtpTransport::<Tokio1Executor>::relay(&config.host).map_err(setup)?
            }
            SmtpTls::StartTls => {
                AsyncSmtpTransport::<Tokio1Executor>::starttls_relay(&config.host).map_err(setup)?
            }
            SmtpTls::None => AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(&config.host),
        };
        let mut builder = builder
            .port(config.port)
            .timeout(Some(Duration::from_secs(20)));
        if let Some((user, password)) = &config.credentials {
            builder = builder.credentials(Credentials::new(user.clone(), password.clone()));
        }
        Ok(Self {
            transport: builder.build(),
            config,
        })
    }

    /// Mails `subject` and `body` (plain text) from `SMTP_FROM` to every `NOTIFY_TO`.
    pub async fn send(&self, subject: &str, body: String) -> Result<(), NotifyError> {
        let mut message = Message::builder()
            .from(self.config.from.clone())
            .subject(subject)
            .header(ContentType::TEXT_PLAIN);
        for to in &self.config.to {
            message = message.to(to.clone());
        }
        self.transport.send(message.body(body)?).await?;
        Ok(())
    }

    /// Mails the end of a pipeline.
    pub async fn pipeline_ended(&self, event: &PipelineEvent) -> Result<(), NotifyError> {
        let (subject, body) = event.render();
        self.send(&subject, body).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(pairs: &[(&str, &str)]) -> Result<Option<SmtpConfig>, String> {
        let mut env = Env::from_pairs(pairs.iter().map(|(k, v)| (*k, *v)));
        let config = SmtpConfig::from_env(&mut env);
        env.finish(Some(config)).map_err(|error| error.to_string())
    }

    #[test]
    fn unset_host_sends_nothing_and_stray_settings_are_named() {
        assert!(config(&[]).unwrap().is_none());
        let error = config(&[("NOTIFY_TO", "a@example.com")]).unwrap_err();
        assert!(
            error.contains("NOTIFY_TO is set but SMTP_HOST is not"),
            "{error}"
        );
    }

    #[test]
    fn settings_are_checked_all_at_once() {
        let full = config(&[
            ("SMTP_HOST", "mail.example.com"),
            ("SMTP_PORT", "465"),
            ("SMTP_USER", "bot"),
            ("SMTP_PASSWORD", "secret"),
            ("SMTP_FROM", "Datamill <datamill@example.com>"),
            ("NOTIFY_TO", "a@example.com, B <b@example.com>"),
        ])
        .unwrap()
        .unwrap();
        assert_eq!(full.tls, SmtpTls::Tls, "465 means TLS from the start");
        assert_eq!(full.to.len(), 2);
        assert!(
            !format!("{full:?}").contains("secret"),
            "no password in logs"
        );

        let error = config(&[
            ("SMTP_HOST", "mail.example.com"),
            ("SMTP_PORT", "smtp"),
            ("SMTP_TLS", "maybe"),
            ("SMTP_USER", "bot"),
            ("SMTP_FROM", "not an address"),
            ("NOTIFY_TO", ""),
        ])
        .unwrap_err();
        for expected in [
            "SMTP_PORT",
            "SMTP_TLS",
            "SMTP_PASSWORD",
            "SMTP_FROM",
            "NOTIFY_TO",
        ] {
            assert!(error.contains(expected), "{expected} in {error}");
        }
    }

    #[test]
    fn messages_say_what_ended_and_why() {
        let event = PipelineEvent {
            execution_id: Uuid::nil(),
            outcome: PipelineOutcome::Failed,
            output: Some("coco_aug/TRAIN/v1.0.1".to_owned()),
            images: None,
            annotations: None,
            error: Some("image 12: cannot decode".to_owned()),
            link: None,
        };
        let (subject, body) = event.render();
        assert_eq!(subject, "[Datamill] FAILED: coco_aug/TRAIN/v1.0.1");
        assert!(body.contains("ended FAILED") && body.contains("Error: image 12: cannot decode"));
    }
}
