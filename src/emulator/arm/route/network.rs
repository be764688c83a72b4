//! `Microsoft.Network` paths the emulator understands: Azure DNS zones with their CNAME record
//! sets and Traffic Manager profiles with their endpoints. Pure.

use super::{Route, is};

/// What part of an Azure DNS zone a path addresses.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum DnsPart {
    /// The zone itself.
    Itself,
    /// `…/recordsets` (every type) or `…/CNAME` (that type): a list.
    RecordSets,
    /// `…/CNAME/{relative name}`.
    Cname(String),
    /// Anything else below the zone (other record types are not emulated).
    Other(String),
}

/// What part of a Traffic Manager profile a path addresses.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum TmPart {
    /// The profile itself.
    Itself,
    /// `…/{ExternalEndpoints|AzureEndpoints|NestedEndpoints}/{name}`: the type as spelled.
    Endpoint(String, String),
    /// Anything else below the profile.
    Other(String),
}

/// `Microsoft.Network` paths: DNS zones and Traffic Manager profiles (other types: `None`).
pub(super) fn network(sub: String, rg: Option<String>, rest: &[&str]) -> Option<Route> {
    let owned = |s: &&str| (*s).to_owned();
    Some(match (rest, rg) {
        ([z], rg) if is(z, "dnszones") => Route::DnsZones { sub, rg },
        ([z, zone, tail @ ..], Some(rg)) if is(z, "dnszones") => Route::DnsZone {
            sub,
            rg,
            zone: owned(zone),
            part: match tail {
                [] => DnsPart::Itself,
                [r] if is(r, "recordsets") || is(r, "CNAME") => DnsPart::RecordSets,
                [c, name] if is(c, "CNAME") => DnsPart::Cname(owned(name)),
                other => DnsPart::Other(other.join("/")),
            },
        },
        ([t], rg) if is(t, "trafficmanagerprofiles") => Route::TmProfiles { sub, rg },
        ([t, name, tail @ ..], Some(rg)) if is(t, "trafficmanagerprofiles") => Route::TmProfile {
            sub,
            rg,
            name: owned(name),
            part: match tail {
                [] => TmPart::Itself,
                [kind, ep] => TmPart::Endpoint(owned(kind), owned(ep)),
                other => TmPart::Other(other.join("/")),
            },
        },
        _ => return None,
    })
}
