//! IP networks as the configuration names them (`10.0.0.0/8`, `::1`): which peers are
//! trusted proxies.

use std::fmt;
use std::net::IpAddr;
use std::str::FromStr;

/// One network: an address and how many leading bits of it must match.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Network {
    addr: IpAddr,
    prefix: u8,
}

impl Network {
    /// True when `ip` is in this network. An IPv4 address written as IPv6
    /// (`::ffff:10.0.0.1`) is read as the IPv4 address.
    pub fn contains(&self, ip: IpAddr) -> bool {
        match (self.addr, canonical(ip)) {
            (IpAddr::V4(net), IpAddr::V4(ip)) => {
                masked(u32::from(net).into(), 32, self.prefix)
                    == masked(u32::from(ip).into(), 32, self.prefix)
            }
            (IpAddr::V6(net), IpAddr::V6(ip)) => {
                masked(net.into(), 128, self.prefix) == masked(ip.into(), 128, self.prefix)
            }
            _ => false,
        }
    }
}

/// The first `prefix` bits of a `width`-bit address.
fn masked(bits: u128, width: u8, prefix: u8) -> u128 {
    if prefix == 0 {
        return 0;
    }
    bits >> (width - prefix)
}

/// An IPv4-mapped IPv6 address as its IPv4 address; any other as it is.
pub fn canonical(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => v6
            .to_ipv4_mapped()
            .map(IpAddr::V4)
            .unwrap_or(IpAddr::V6(v6)),
        v4 => v4,
    }
}

impl FromStr for Network {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, String> {
        let text = text.trim();
        let bad = || {
            format!(
                "`{text}` is not a network: use an address (10.0.0.1, ::1) or one with a \
                 prefix length (10.0.0.0/8, fd00::/8)"
            )
        };
        let (addr, prefix) = match text.split_once('/') {
            Some((addr, prefix)) => (addr, Some(prefix)),
            None => (text, None),
        };
        let addr = canonical(IpAddr::from_str(addr).map_err(|_| bad())?);
        let width = if addr.is_ipv4() { 32 } else { 128 };
        let prefix = match prefix {
            Some(p) => p
                .parse::<u8>()
                .ok()
                .filter(|p| *p <= width)
                .ok_or_else(bad)?,
            None => width,
        };
        Ok(Network { addr, prefix })
    }
}

impl fmt::Display for Network {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.addr, self.prefix)
    }
}

/// A list of networks, maybe empty.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Networks(Vec<Network>);

impl Networks {
    /// True when `ip` is in one of the networks.
    pub fn contains(&self, ip: IpAddr) -> bool {
        self.0.iter().any(|n| n.contains(ip))
    }

    /// True when there are none.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The networks, in the order given.
    pub fn iter(&self) -> impl Iterator<Item = &Network> {
        self.0.iter()
    }
}

impl FromIterator<Network> for Networks {
    fn from_iter<I: IntoIterator<Item = Network>>(iter: I) -> Self {
        Networks(iter.into_iter().collect())
    }
}

/// Comma-separated networks; empty text is none.
impl FromStr for Networks {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, String> {
        text.split(',')
            .map(str::trim)
            .filter(|n| !n.is_empty())
            .map(str::parse)
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(text: &str) -> IpAddr {
        text.parse().unwrap_or_else(|e| panic!("{text}: {e}"))
    }

    #[test]
    fn networks_hold_their_addresses_only() {
        let nets: Networks = "10.0.0.0/8, 192.168.1.7, fd00::/8, ::1"
            .parse()
            .unwrap_or_else(|e| panic!("{e}"));
        assert!(nets.contains(ip("10.200.3.4")));
        assert!(nets.contains(ip("::ffff:10.1.1.1")));
        assert!(!nets.contains(ip("11.0.0.1")));
        assert!(nets.contains(ip("192.168.1.7")));
        assert!(!nets.contains(ip("192.168.1.8")));
        assert!(nets.contains(ip("fd12::5")));
        assert!(!nets.contains(ip("fe80::1")));
        assert!(nets.contains(ip("::1")));
        assert!(!nets.contains(ip("127.0.0.1")));
        let all: Networks = "0.0.0.0/0".parse().unwrap_or_else(|e| panic!("{e}"));
        assert!(all.contains(ip("8.8.8.8")));
        assert!(!all.contains(ip("2001:db8::1")));
    }

    #[test]
    fn a_bad_network_is_named() {
        for text in [
            "10.0.0.0/33",
            "example.org",
            "10.0.0/8",
            "::1/129",
            "10.0.0.1/x",
        ] {
            let e = text.parse::<Networks>().err();
            assert!(
                e.as_deref().is_some_and(|e| e.contains(text)),
                "{text}: {e:?}"
            );
        }
        assert_eq!("".parse::<Networks>(), Ok(Networks::default()));
    }
}
