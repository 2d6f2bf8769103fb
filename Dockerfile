# The one image of the cluster mode: every component and the pod utilities
# (clonerefs, initupload, entrypoint, sidecar) are subcommands of /prow.
# /prow is the lean front (checkconfig, version); it hands every component
# to /prow-components beside it, in the same process (execve).
#   docker build -t ghcr.io/your-org/prow:latest .
FROM golang:1.26-bookworm AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
ARG VERSION=dev
RUN CGO_ENABLED=0 go build -trimpath \
      -ldflags "-s -w -X github.com/prowbot/prow/prow/version.version=${VERSION}" \
      -o /out/prow-components ./cmd/prow \
 && CGO_ENABLED=0 go build -trimpath \
      -ldflags "-s -w -X github.com/prowbot/prow/prow/version.version=${VERSION}" \
      -o /out/prow ./cmd/prow-front

# git for clonerefs and the OWNERS cache; ca-certificates for GitHub and GCS.
FROM debian:bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends git ca-certificates openssh-client \
    && rm -rf /var/lib/apt/lists/*
COPY --from=build /out/prow /out/prow-components /
# hook's journal goes to /var/lib/prow/journal when no --journal-dir is
# given: mount a volume there to keep acknowledged deliveries across pods.
RUN mkdir -p /var/lib/prow/journal && chown -R 65532:65532 /var/lib/prow
USER 65532:65532
ENTRYPOINT ["/prow"]
