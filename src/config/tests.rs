use super::*;

fn paths(dir: &Path) -> Paths {
    Paths {
        config_dir: dir.to_owned(),
        data_dir: dir.join("data"),
    }
}

#[test]
fn defaults_file_then_flags() {
    let dir = tempfile::tempdir().unwrap();
    let p = paths(dir.path());
    let c = Config::resolve(p.clone(), &Overrides::default()).unwrap();
    assert_eq!(c.arm_endpoint.as_str(), "https://management.azure.com/");
    assert!(!c.read_only);
    std::fs::write(
        p.config_file(),
        "read_only = true\ncloud = \"usgov\"\npoll_interval_secs = 30\n",
    )
    .unwrap();
    let c = Config::resolve(p.clone(), &Overrides::default()).unwrap();
    assert!(c.read_only);
    assert_eq!(
        c.arm_endpoint.as_str(),
        "https://management.usgovcloudapi.net/"
    );
    assert_eq!(c.poll_interval, Duration::from_secs(30));
    let o = Overrides {
        arm_endpoint: Some("http://127.0.0.1:9".into()),
        ..Overrides::default()
    };
    let c = Config::resolve(p, &o).unwrap();
    assert_eq!(c.endpoint_origin(), "http://127.0.0.1:9");
}

fn source_of(c: &Config, name: &str) -> (Option<String>, Source) {
    let s = c.settings.iter().find(|s| s.name == name).unwrap();
    (s.value.clone(), s.source)
}

#[test]
fn every_setting_says_where_it_came_from() {
    let dir = tempfile::tempdir().unwrap();
    let p = paths(dir.path());
    std::fs::write(
        p.config_file(),
        "cloud = \"usgov\"\ntenant = \"contoso.onmicrosoft.com\"\nauth = \"msi\"\n",
    )
    .unwrap();
    let o = Overrides {
        auth: Some(AuthMethod::Cli),
        auth_client_id: Some("6d1f0c3e-2b4a-4f5e-8a7b-9c0d1e2f3a4b".into()),
        arm_endpoint: Some("http://127.0.0.1:9".into()),
        access_token: Some(Secret::new("very-secret")),
        from_environment: vec!["arm_endpoint"],
        ..Overrides::default()
    };
    let c = Config::resolve(p, &o).unwrap();
    assert_eq!(source_of(&c, "cloud"), (Some("usgov".into()), Source::File));
    assert_eq!(
        source_of(&c, "tenant"),
        (Some("contoso.onmicrosoft.com".into()), Source::File)
    );
    assert_eq!(source_of(&c, "auth"), (Some("cli".into()), Source::Flag));
    assert_eq!(source_of(&c, "auth_client_id").1, Source::Flag);
    assert_eq!(
        source_of(&c, "arm_endpoint"),
        (Some("http://127.0.0.1:9/".into()), Source::Environment)
    );
    assert_eq!(
        source_of(&c, "read_only"),
        (Some("false".into()), Source::Default)
    );
    assert_eq!(
        source_of(&c, "poll_interval_secs"),
        (Some("10".into()), Source::Default)
    );
    assert_eq!(
        source_of(&c, "APIM_DR_ACCESS_TOKEN"),
        (Some("set (hidden)".into()), Source::Environment)
    );
    assert!(!format!("{:?}", c.settings).contains("very-secret"));
}

#[test]
fn a_tenant_or_client_id_that_is_not_one_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let bad_tenant = Overrides {
        tenant: Some("contoso tenant".into()),
        ..Overrides::default()
    };
    let e = Config::resolve(paths(dir.path()), &bad_tenant)
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("tenant 'contoso tenant' is not a tenant id"),
        "{e}"
    );
    let bad_client = Overrides {
        auth_client_id: Some("my-identity".into()),
        ..Overrides::default()
    };
    let e = Config::resolve(paths(dir.path()), &bad_client)
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("auth_client_id 'my-identity' is not a client id"),
        "{e}"
    );
}

#[test]
fn in_flight_budgets_from_file_and_flag_within_range() {
    let dir = tempfile::tempdir().unwrap();
    let p = paths(dir.path());
    let c = Config::resolve(p.clone(), &Overrides::default()).unwrap();
    assert_eq!(c.in_flight, InFlightLimits::default());
    std::fs::write(
        p.config_file(),
        "max_in_flight = 8\nmax_in_flight_per_host = 4\n",
    )
    .unwrap();
    let c = Config::resolve(p.clone(), &Overrides::default()).unwrap();
    assert_eq!((c.in_flight.total, c.in_flight.per_host), (8, 4));
    let o = Overrides {
        max_in_flight: Some(64),
        ..Overrides::default()
    };
    assert_eq!(Config::resolve(p.clone(), &o).unwrap().in_flight.total, 64);
    let o = Overrides {
        max_in_flight: Some(0),
        ..Overrides::default()
    };
    let e = Config::resolve(p, &o).unwrap_err().to_string();
    assert!(
        e.contains("--max-in-flight: 0 is out of range") && e.contains("from 1 to 1024"),
        "{e}"
    );
}

#[test]
fn unknown_keys_name_the_file_and_key() {
    let dir = tempfile::tempdir().unwrap();
    let p = paths(dir.path());
    std::fs::write(p.config_file(), "read_onyl = true\n").unwrap();
    let e = Config::resolve(p, &Overrides::default())
        .unwrap_err()
        .to_string();
    assert!(e.contains("config.toml") && e.contains("read_onyl"), "{e}");
}

#[test]
fn poll_intervals_out_of_range_name_their_source() {
    let dir = tempfile::tempdir().unwrap();
    let p = paths(dir.path());
    std::fs::write(p.config_file(), "poll_interval_secs = 0\n").unwrap();
    let e = Config::resolve(p.clone(), &Overrides::default())
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("poll_interval_secs in") && e.contains("config.toml"),
        "{e}"
    );
    assert!(
        e.contains("0 is out of range") && e.contains("from 1 to 600"),
        "{e}"
    );
    let o = Overrides {
        poll_interval_secs: Some(u64::MAX),
        ..Overrides::default()
    };
    let e = Config::resolve(p, &o).unwrap_err().to_string();
    assert!(
        e.starts_with("--poll-interval: 18446744073709551615 is out of range"),
        "{e}"
    );
}

fn extreme() -> impl proptest::strategy::Strategy<Value = String> {
    use proptest::prelude::*;
    prop_oneof![
        any::<u64>().prop_map(|n| n.to_string()),
        any::<i64>().prop_map(|n| n.to_string()),
        any::<f64>().prop_map(|f| f.to_string()),
        (0_u64..=700).prop_map(|n| n.to_string()),
        "[0-9]{15,40}",
        prop::sample::select(vec!["0", "-0", "NaN", "inf", "", "18446744073709551616"])
            .prop_map(str::to_owned),
    ]
}

fn with_token(o: Overrides) -> Overrides {
    Overrides {
        arm_endpoint: Some("http://127.0.0.1:9".into()),
        access_token: Some(Secret::new("t")),
        ..o
    }
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig { cases: 128, ..Default::default() })]

    /// `--poll-interval`: refused while parsing out of range, else the client is built.
    #[test]
    fn no_poll_interval_flag_panics(value in extreme()) {
        use clap::Parser;
        let flag = format!("--poll-interval={value}");
        match crate::cli::Cli::try_parse_from(["apim-dr", "services", &flag]) {
            Err(e) => proptest::prop_assert!(e.to_string().contains("from 1 to 600"), "{e}"),
            Ok(cli) => {
                let dir = tempfile::tempdir().unwrap();
                let o = with_token(Overrides {
                    poll_interval_secs: cli.global.poll_interval,
                    ..Overrides::default()
                });
                let c = Config::resolve(paths(dir.path()), &o).unwrap();
                proptest::prop_assert!(POLL_INTERVAL_SECS.contains(&c.poll_interval.as_secs()));
                crate::engine::client_for(&c).unwrap();
            }
        }
    }

    /// `poll_interval_secs`: an error naming the file, or a client built from it.
    #[test]
    fn no_poll_interval_key_panics(value in extreme()) {
        let dir = tempfile::tempdir().unwrap();
        let p = paths(dir.path());
        std::fs::write(p.config_file(), format!("poll_interval_secs = {value}\n")).unwrap();
        match Config::resolve(p, &with_token(Overrides::default())) {
            Err(e) => proptest::prop_assert!(e.to_string().contains("config.toml"), "{e}"),
            Ok(c) => {
                proptest::prop_assert!(POLL_INTERVAL_SECS.contains(&c.poll_interval.as_secs()));
                crate::engine::client_for(&c).unwrap();
            }
        }
    }
}
