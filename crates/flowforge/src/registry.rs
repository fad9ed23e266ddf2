//! The one list of services compiled into this binary (one cargo feature each). Everything that
//! names the services reads it: `serve` and `openapi` build from it, `--help` lists its
//! variables, `kong-config` routes to it, `services` prints it, and the tests check Compose,
//! Kubernetes and the e2e contract against it. Adding a service is one line here.

use flowforge_kit::registry::{KIT_VARS, help_text};
use flowforge_kit::{App, ConfigError, Context, Descriptor};

/// Every service compiled in, in the order they are served and documented.
pub fn services() -> Vec<&'static Descriptor> {
    vec![
        #[cfg(feature = "crypto")]
        &flowforge_crypto::DESCRIPTOR,
        #[cfg(feature = "math")]
        &flowforge_math::DESCRIPTOR,
        #[cfg(feature = "data")]
        &flowforge_data::DESCRIPTOR,
        #[cfg(feature = "image")]
        &flowforge_image::DESCRIPTOR,
        #[cfg(feature = "pdf")]
        &flowforge_pdf::DESCRIPTOR,
    ]
}

/// The application: every service compiled in, built from `ctx`.
pub fn build_app(ctx: &Context) -> Result<App, ConfigError> {
    let mut app = App::new("FlowForge", ctx.config.clone());
    for d in services() {
        app = app.service((d.build)(ctx)?);
    }
    Ok(app)
}

/// `--help`'s list of environment variables: the kit's, the gateway's, then each service's.
pub fn env_help() -> String {
    let titles: Vec<(String, &[flowforge_kit::Var])> = services()
        .into_iter()
        .map(|d| (format!("{} service", capitalised(d.name)), d.vars))
        .collect();
    let mut groups: Vec<(&str, &[flowforge_kit::Var])> = vec![
        ("Every process", KIT_VARS),
        (
            "Gateway (flowforge serve)",
            flowforge_gateway::config::GATEWAY_VARS,
        ),
    ];
    groups.extend(titles.iter().map(|(t, v)| (t.as_str(), *v)));
    groups.push(("Models (flowforge models)", crate::models::VARS));
    let mut text = help_text(&groups);
    text.push_str(
        "\nEndpoints: /api/v1/<service>/<operation> (POST), /health, /metrics, /openapi.json, /docs.",
    );
    text
}

fn capitalised(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use std::collections::{BTreeSet, HashMap};
    use std::sync::Arc;

    use flowforge_kit::registry::{KIT_VARS, Recording};

    use super::*;

    /// What a service reads from the environment is what it declares, no more, no less: the
    /// `--help` list cannot drift from the code.
    #[test]
    fn every_variable_a_service_reads_is_declared_and_every_declared_one_is_read() {
        let kit = Recording::new(HashMap::<String, String>::new());
        let ctx_env = Arc::new(kit);
        let ctx = Context::from_env(ctx_env.clone(), 8000).unwrap();
        let kit_names: BTreeSet<String> = ctx_env.names();
        let declared: BTreeSet<String> = KIT_VARS
            .iter()
            .map(|v| v.name.to_string())
            .filter(|n| n != "RUST_LOG" && n != "LOG_FORMAT")
            .collect();
        assert_eq!(kit_names, declared, "the kit's variables");
        for d in services() {
            let env = Arc::new(Recording::new(HashMap::<String, String>::new()));
            let sctx = Context {
                env: env.clone(),
                ..ctx.clone()
            };
            (d.build)(&sctx).unwrap();
            let read = env.names();
            let declared: BTreeSet<String> = d.vars.iter().map(|v| v.name.to_string()).collect();
            assert_eq!(read, declared, "{}'s variables", d.name);
        }
    }

    #[test]
    fn names_and_ports_are_unique_and_help_lists_every_variable() {
        let names: BTreeSet<_> = services().iter().map(|d| d.name).collect();
        let ports: BTreeSet<_> = services().iter().map(|d| d.port).collect();
        assert_eq!(names.len(), services().len());
        assert_eq!(ports.len(), services().len());
        let help = env_help();
        for d in services() {
            for v in d.vars {
                assert!(help.contains(v.name), "{} missing from --help", v.name);
            }
        }
    }
}

#[cfg(test)]
mod deploy_files {
    #![allow(clippy::unwrap_used)]
    use super::services;

    fn read(rel: &str) -> String {
        let root = concat!(env!("CARGO_MANIFEST_DIR"), "/../../");
        std::fs::read_to_string(format!("{root}{rel}")).unwrap_or_else(|e| panic!("{rel}: {e}"))
    }

    /// Compose, Kubernetes and the deployment check name every service of the registry, with
    /// its port: a service added to the list and not to the deployment files fails here.
    #[test]
    fn compose_and_kubernetes_run_every_registered_service_on_its_port() {
        let compose = read("docker-compose.yml");
        let kustomization = read("k8s/kustomization.yaml");
        let validate = read("scripts/validate-deploy");
        for d in services() {
            let (n, p) = (d.name, d.port);
            for want in [
                format!("\n  {n}:\n"),
                format!("BIN: {n}-service"),
                format!("FLOWFORGE_LISTEN: 0.0.0.0:{p}"),
            ] {
                assert!(compose.contains(&want), "docker-compose.yml lacks {want:?}");
            }
            let manifest = read(&format!("k8s/{n}.yaml"));
            for want in [
                format!("name: {n}\n"),
                format!("containerPort: {p}"),
                format!("value: 0.0.0.0:{p}"),
                format!("image: flowforge/{n}:"),
            ] {
                assert!(manifest.contains(&want), "k8s/{n}.yaml lacks {want:?}");
            }
            assert!(
                kustomization.contains(&format!("- {n}.yaml")),
                "k8s/kustomization.yaml lacks {n}.yaml"
            );
            assert!(
                validate.contains(&format!("{n}.yaml")),
                "scripts/validate-deploy does not check k8s/{n}.yaml"
            );
        }
    }
}
