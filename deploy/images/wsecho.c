/*
 * wsecho: a WebSocket echo server (RFC 6455) for nauta/wsecho:local, the image the ingress tests
 * run behind an Ingress. No registry is reachable on these machines, so it is built from source
 * with the host's gcc, statically, and is the whole image.
 *
 * Usage: wsecho [port]   (default 8080)
 * A request with "Upgrade: websocket" gets the handshake, then every text or binary message comes
 * back as it was sent (fragments as fragments), a ping gets its pong and a close its close. Any
 * other request gets "200 wsecho <hostname>". One process per connection (fork).
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

static const char GUID[] = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

/* SHA-1 (FIPS 180-4), enough for the handshake's one short input. */
static uint32_t rol(uint32_t v, int n) { return (v << n) | (v >> (32 - n)); }

static void sha1(const unsigned char *msg, size_t len, unsigned char out[20]) {
  uint32_t h[5] = {0x67452301, 0xEFCDAB89, 0x98BADCFE, 0x10325476, 0xC3D2E1F0};
  size_t total = ((len + 8) / 64 + 1) * 64;
  unsigned char *buf = calloc(total, 1);
  memcpy(buf, msg, len);
  buf[len] = 0x80;
  uint64_t bits = (uint64_t)len * 8;
  for (int i = 0; i < 8; i++) buf[total - 1 - i] = (unsigned char)(bits >> (8 * i));
  for (size_t off = 0; off < total; off += 64) {
    uint32_t w[80];
    for (int i = 0; i < 16; i++)
      w[i] = (uint32_t)buf[off + 4 * i] << 24 | (uint32_t)buf[off + 4 * i + 1] << 16 |
             (uint32_t)buf[off + 4 * i + 2] << 8 | buf[off + 4 * i + 3];
    for (int i = 16; i < 80; i++) w[i] = rol(w[i - 3] ^ w[i - 8] ^ w[i - 14] ^ w[i - 16], 1);
    uint32_t a = h[0], b = h[1], c = h[2], d = h[3], e = h[4];
    for (int i = 0; i < 80; i++) {
      uint32_t f, k;
      if (i < 20) f = (b & c) | (~b & d), k = 0x5A827999;
      else if (i < 40) f = b ^ c ^ d, k = 0x6ED9EBA1;
      else if (i < 60) f = (b & c) | (b & d) | (c & d), k = 0x8F1BBCDC;
      else f = b ^ c ^ d, k = 0xCA62C1D6;
      uint32_t t = rol(a, 5) + f + e + k + w[i];
      e = d, d = c, c = rol(b, 30), b = a, a = t;
    }
    h[0] += a, h[1] += b, h[2] += c, h[3] += d, h[4] += e;
  }
  free(buf);
  for (int i = 0; i < 20; i++) out[i] = (unsigned char)(h[i / 4] >> (24 - 8 * (i % 4)));
}

static void base64(const unsigned char *in, size_t len, char *out) {
  static const char t[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  size_t o = 0;
  for (size_t i = 0; i < len; i += 3) {
    uint32_t v = (uint32_t)in[i] << 16 | (i + 1 < len ? in[i + 1] << 8 : 0) |
                 (i + 2 < len ? in[i + 2] : 0);
    out[o++] = t[v >> 18 & 63];
    out[o++] = t[v >> 12 & 63];
    out[o++] = i + 1 < len ? t[v >> 6 & 63] : '=';
    out[o++] = i + 2 < len ? t[v & 63] : '=';
  }
  out[o] = 0;
}

static int read_full(int fd, unsigned char *p, size_t n) {
  while (n > 0) {
    ssize_t r = read(fd, p, n);
    if (r <= 0) return -1;
    p += r, n -= (size_t)r;
  }
  return 0;
}

static int write_full(int fd, const void *p, size_t n) {
  const unsigned char *c = p;
  while (n > 0) {
    ssize_t r = write(fd, c, n);
    if (r <= 0) return -1;
    c += r, n -= (size_t)r;
  }
  return 0;
}

/* Echoes frames until a close frame or the end of the connection. */
static void echo(int fd) {
  for (;;) {
    unsigned char hd[14];
    if (read_full(fd, hd, 2)) return;
    int opcode = hd[0] & 0x0F, masked = hd[1] & 0x80;
    uint64_t len = hd[1] & 0x7F;
    if (len == 126) {
      if (read_full(fd, hd + 2, 2)) return;
      len = (uint64_t)hd[2] << 8 | hd[3];
    } else if (len == 127) {
      if (read_full(fd, hd + 2, 8)) return;
      len = 0;
      for (int i = 0; i < 8; i++) len = len << 8 | hd[2 + i];
    }
    if (len > (64u << 20)) return;
    unsigned char mask[4] = {0};
    if (masked && read_full(fd, mask, 4)) return;
    unsigned char *payload = malloc(len ? len : 1);
    if (read_full(fd, payload, len)) return;
    for (uint64_t i = 0; i < len; i++) payload[i] ^= mask[i % 4];
    unsigned char out[10];
    size_t n = 0;
    out[n++] = (unsigned char)((hd[0] & 0x80) | (opcode == 9 ? 10 : opcode));
    if (len < 126) {
      out[n++] = (unsigned char)len;
    } else if (len < 65536) {
      out[n++] = 126, out[n++] = (unsigned char)(len >> 8), out[n++] = (unsigned char)len;
    } else {
      out[n++] = 127;
      for (int i = 7; i >= 0; i--) out[n++] = (unsigned char)(len >> (8 * i));
    }
    if (opcode != 10) { /* a pong needs no answer */
      if (write_full(fd, out, n) || write_full(fd, payload, len)) return;
    }
    free(payload);
    if (opcode == 8) return;
  }
}

static void serve(int fd) {
  char req[8192];
  size_t used = 0;
  while (used < sizeof(req) - 1) {
    ssize_t r = read(fd, req + used, sizeof(req) - 1 - used);
    if (r <= 0) return;
    used += (size_t)r;
    req[used] = 0;
    if (strstr(req, "\r\n\r\n")) break;
  }
  char key[128] = {0};
  for (char *line = strstr(req, "\r\n"); line && line[2] != '\r'; line = strstr(line + 2, "\r\n")) {
    if (strncasecmp(line + 2, "Sec-WebSocket-Key:", 18) == 0) {
      char *v = line + 20;
      while (*v == ' ') v++;
      size_t n = strcspn(v, "\r\n ");
      if (n < sizeof(key) - sizeof(GUID)) memcpy(key, v, n);
    }
  }
  if (!key[0]) {
    char host[64] = "?", body[128], res[256];
    gethostname(host, sizeof(host) - 1);
    int b = snprintf(body, sizeof(body), "wsecho %s\n", host);
    int n = snprintf(res, sizeof(res),
                     "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: %d\r\n"
                     "Connection: close\r\n\r\n%s", b, body);
    write_full(fd, res, (size_t)n);
    return;
  }
  strcat(key, GUID);
  unsigned char digest[20];
  char accept[32], res[256];
  sha1((unsigned char *)key, strlen(key), digest);
  base64(digest, 20, accept);
  int n = snprintf(res, sizeof(res),
                   "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n"
                   "Connection: Upgrade\r\nSec-WebSocket-Accept: %s\r\n\r\n", accept);
  if (write_full(fd, res, (size_t)n)) return;
  echo(fd);
}

static volatile sig_atomic_t stopping;
static void on_term(int sig) { (void)sig; stopping = 1; }

int main(int argc, char **argv) {
  int port = argc > 1 ? atoi(argv[1]) : 8080;
  signal(SIGCHLD, SIG_IGN); /* no zombies */
  struct sigaction sa = {0};
  sa.sa_handler = on_term; /* PID 1: exit on SIGTERM instead of ignoring it */
  sigaction(SIGTERM, &sa, NULL);
  sigaction(SIGINT, &sa, NULL);
  int s = socket(AF_INET, SOCK_STREAM, 0);
  int on = 1;
  setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &on, sizeof(on));
  struct sockaddr_in addr = {0};
  addr.sin_family = AF_INET;
  addr.sin_port = htons((uint16_t)port);
  addr.sin_addr.s_addr = htonl(INADDR_ANY);
  if (bind(s, (struct sockaddr *)&addr, sizeof(addr)) || listen(s, 64)) {
    perror("wsecho: listen");
    return 1;
  }
  fprintf(stderr, "wsecho: listening on %d\n", port);
  while (!stopping) {
    int c = accept(s, NULL, NULL);
    if (c < 0) continue;
    if (fork() == 0) {
      close(s);
      serve(c);
      close(c);
      _exit(0);
    }
    close(c);
  }
  return 0;
}
