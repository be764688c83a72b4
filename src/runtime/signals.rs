//! SIGTERM (a `kill`, a shutting-down host) and SIGHUP (the terminal closed) as a source the
//! event loop can `select!` on again and again: each ends the TUI cleanly, with the terminal
//! restored and live operations journaled as detached.

#[cfg(unix)]
use tokio::signal::unix::{Signal, SignalKind, signal};

/// A signal that asks the TUI to end.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ending {
    /// SIGTERM.
    Terminate,
    /// SIGHUP.
    Hangup,
}

/// The listeners, installed once; a listener that could not be installed never fires.
pub struct Signals {
    #[cfg(unix)]
    term: Option<Signal>,
    #[cfg(unix)]
    hup: Option<Signal>,
}

impl Signals {
    /// Installs the listeners (from inside the runtime).
    pub fn install() -> Self {
        Self {
            #[cfg(unix)]
            term: signal(SignalKind::terminate()).ok(),
            #[cfg(unix)]
            hup: signal(SignalKind::hangup()).ok(),
        }
    }

    /// The next signal. Cancel-safe: a `select!` may drop it and call it again.
    pub async fn next(&mut self) -> Ending {
        #[cfg(unix)]
        {
            tokio::select! {
                () = recv(&mut self.term) => Ending::Terminate,
                () = recv(&mut self.hup) => Ending::Hangup,
            }
        }
        #[cfg(not(unix))]
        std::future::pending().await
    }
}

#[cfg(unix)]
async fn recv(signal: &mut Option<Signal>) {
    if let Some(s) = signal
        && s.recv().await.is_some()
    {
        return;
    }
    std::future::pending::<()>().await;
}
