//! The listening socket with bounds on connections: at most
//! [`MAX_CONNECTIONS`] open at once (the next waits to be accepted), and
//! each closed after [`CONNECTION_LIFETIME`], idle or not. HCP Terraform
//! sends one small request per run; a client that holds connections open
//! cannot use up the service's file descriptors or keep a shutdown waiting.

use std::future::Future;
use std::io;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;

use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

pub const MAX_CONNECTIONS: usize = 256;
pub const CONNECTION_LIFETIME: Duration = Duration::from_secs(60);

pub struct Bounded {
    inner: TcpListener,
    permits: Arc<Semaphore>,
    lifetime: Duration,
}

impl Bounded {
    pub fn new(inner: TcpListener, connections: usize, lifetime: Duration) -> Bounded {
        Bounded {
            inner,
            permits: Arc::new(Semaphore::new(connections)),
            lifetime,
        }
    }
}

/// An accepted connection, holding its place among the open ones.
pub struct Connection {
    stream: TcpStream,
    ends: Pin<Box<tokio::time::Sleep>>,
    _permit: OwnedSemaphorePermit,
}

impl Connection {
    /// An error once the connection has lived its time; polling the timer
    /// also wakes the connection's task when it does, idle or not.
    fn expired(&mut self, cx: &mut Context<'_>) -> Option<io::Error> {
        self.ends
            .as_mut()
            .poll(cx)
            .is_ready()
            .then(|| io::Error::new(io::ErrorKind::TimedOut, "the connection was open too long"))
    }
}

impl axum::serve::Listener for Bounded {
    type Io = Connection;
    type Addr = SocketAddr;

    async fn accept(&mut self) -> (Connection, SocketAddr) {
        let permit = Arc::clone(&self.permits)
            .acquire_owned()
            .await
            .expect("the semaphore is never closed");
        loop {
            match self.inner.accept().await {
                Ok((stream, address)) => {
                    let connection = Connection {
                        stream,
                        ends: Box::pin(tokio::time::sleep(self.lifetime)),
                        _permit: permit,
                    };
                    return (connection, address);
                }
                // Out of descriptors, a connection reset before accept:
                // wait a little rather than spin.
                Err(_) => tokio::time::sleep(Duration::from_millis(100)).await,
            }
        }
    }

    fn local_addr(&self) -> io::Result<SocketAddr> {
        self.inner.local_addr()
    }
}

impl AsyncRead for Connection {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        if let Some(e) = self.expired(cx) {
            return Poll::Ready(Err(e));
        }
        Pin::new(&mut self.stream).poll_read(cx, buf)
    }
}

impl AsyncWrite for Connection {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        if let Some(e) = self.expired(cx) {
            return Poll::Ready(Err(e));
        }
        Pin::new(&mut self.stream).poll_write(cx, buf)
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.stream).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.stream).poll_shutdown(cx)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::serve::Listener;
    use tokio::io::AsyncReadExt;

    #[tokio::test(start_paused = true)]
    async fn an_idle_connection_is_closed_when_its_time_is_up() {
        let inner = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let address = inner.local_addr().unwrap();
        let mut listener = Bounded::new(inner, 1, Duration::from_secs(60));
        let _client = TcpStream::connect(address).await.unwrap();
        let (mut connection, _) = listener.accept().await;
        let mut buf = [0u8; 1];
        // Nothing is ever sent: the read ends when the time is up (the
        // clock is paused and jumps to the timer).
        let e = connection.read(&mut buf).await.unwrap_err();
        assert_eq!(e.kind(), io::ErrorKind::TimedOut);
    }

    #[tokio::test]
    async fn a_connection_beyond_the_limit_waits_to_be_accepted() {
        let inner = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let address = inner.local_addr().unwrap();
        let mut listener = Bounded::new(inner, 1, Duration::from_secs(60));
        let _first = TcpStream::connect(address).await.unwrap();
        let _second = TcpStream::connect(address).await.unwrap();
        let (held, _) = listener.accept().await;
        let waiting = tokio::time::timeout(Duration::from_millis(50), listener.accept()).await;
        assert!(waiting.is_err(), "the second waits while the first is open");
        drop(held);
        let accepted = tokio::time::timeout(Duration::from_secs(30), listener.accept()).await;
        assert!(accepted.is_ok(), "and is accepted once the first closes");
    }
}
