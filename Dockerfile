# The release image: the static (musl) binary that scripts/release-build
# makes, on a distroless base that holds CA certificates (for AWS over TLS)
# and nothing else: no shell, no package manager, a non-root user.
#
# The release workflow unpacks each architecture's archive into
# dist/docker/<amd64|arm64>/ and builds both platforms:
#   docker buildx build --platform linux/amd64,linux/arm64 .
FROM gcr.io/distroless/static-debian12:nonroot
ARG TARGETARCH
COPY dist/docker/${TARGETARCH}/cname-preflight /usr/local/bin/cname-preflight
WORKDIR /work
ENTRYPOINT ["/usr/local/bin/cname-preflight"]
CMD ["--help"]
