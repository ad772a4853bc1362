/*
 * A native host of libcirrus, in C: opens a mini program headless into a
 * CPU buffer, taps its "About" button, checks that the page changed, and
 * writes the frame as a PNG.
 *
 *   host APP_DIR OUT.png
 *
 * With --survive it opens a package it does not trust and keeps its own
 * 60 Hz loop going for FRAMES frames whatever the package does: the engine
 * must report the package's errors through the callback and return from
 * every frame call on time.
 *
 *   host --survive APP_DIR FRAMES
 *
 * Build (the test in tests/c_host.rs does this):
 *   cc host.c -I ../include -L TARGET_DIR -lcirrus -Wl,-rpath,TARGET_DIR
 *
 * Exit status: 0 when the page changed and the PNG was written; with
 * --survive, 0 when every frame returned and at least one error came
 * through the callback.
 */

#include "cirrus.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* ---- what the engine tells us ------------------------------------------ */

typedef struct {
    char route[256];
    int settled;
    int errors;
} HostState;

static void on_event(void *user_data, CirrusEventKind kind, const char *text) {
    HostState *state = (HostState *)user_data;
    switch (kind) {
    case CIRRUS_EVENT_KIND_NAVIGATED:
        snprintf(state->route, sizeof state->route, "%s", text);
        printf("navigated: %s\n", text);
        break;
    case CIRRUS_EVENT_KIND_TITLE:
        printf("title: %s\n", text);
        break;
    case CIRRUS_EVENT_KIND_LOG:
        printf("log: %s\n", text);
        break;
    case CIRRUS_EVENT_KIND_ERROR:
        fprintf(stderr, "app error: %s\n", text);
        state->errors++;
        break;
    case CIRRUS_EVENT_KIND_SETTLED:
        state->settled = 1;
        break;
    }
}

static int check(CirrusStatus status, const char *what) {
    if (status != CIRRUS_STATUS_OK) {
        fprintf(stderr, "%s failed (%d): %s\n", what, (int)status, cirrus_last_error());
        return 0;
    }
    return 1;
}

/* ---- the host's clock ---------------------------------------------------- */

static struct timespec started;

static uint64_t now_us(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (uint64_t)(t.tv_sec - started.tv_sec) * 1000000u +
           (uint64_t)((t.tv_nsec - started.tv_nsec) / 1000);
}

static void sleep_ms(long ms) {
    struct timespec t = {ms / 1000, (ms % 1000) * 1000000L};
    nanosleep(&t, NULL);
}

/* Frames at 60 Hz until the app settles (or `limit_ms` passes). */
static int run_until_settled(CirrusEngine *engine, HostState *state, long limit_ms) {
    state->settled = 0;
    for (long waited = 0; waited < limit_ms; waited += 16) {
        if (!check(cirrus_engine_frame(engine, now_us(), NULL), "frame")) return 0;
        if (state->settled) return 1;
        sleep_ms(16);
    }
    return 0;
}

/* ---- finding the button in the layout file -------------------------------- */

/* The number after `"key":` at or after `from`, or -1. */
static double number_after(const char *from, const char *key) {
    char pattern[32];
    snprintf(pattern, sizeof pattern, "\"%s\":", key);
    const char *at = strstr(from, pattern);
    return at ? strtod(at + strlen(pattern), NULL) : -1.0;
}

/* The centre of the element with class `cls` (page coordinates). */
static int centre_of(const char *layout, const char *cls, float *x, float *y) {
    char pattern[128];
    snprintf(pattern, sizeof pattern, "\"class\":\"%s\"", cls);
    const char *at = strstr(layout, pattern);
    if (!at) return 0;
    /* Keys are sorted: after "class" come height, id, tag, width, x, y. */
    double h = number_after(at, "height"), w = number_after(at, "width");
    double left = number_after(at, "x"), top = number_after(at, "y");
    if (h < 0 || w < 0) return 0;
    *x = (float)(left + w / 2);
    *y = (float)(top + h / 2);
    return 1;
}

/* ---- a minimal PNG writer (stored deflate blocks: no zlib needed) -------- */

static uint32_t crc_table[256];

static void crc_init(void) {
    for (uint32_t n = 0; n < 256; n++) {
        uint32_t c = n;
        for (int k = 0; k < 8; k++) c = (c & 1) ? 0xedb88320u ^ (c >> 1) : c >> 1;
        crc_table[n] = c;
    }
}

static uint32_t crc(uint32_t c, const uint8_t *data, size_t len) {
    c ^= 0xffffffffu;
    for (size_t i = 0; i < len; i++) c = crc_table[(c ^ data[i]) & 0xff] ^ (c >> 8);
    return c ^ 0xffffffffu;
}

static void put32(uint8_t *p, uint32_t v) {
    p[0] = (uint8_t)(v >> 24); p[1] = (uint8_t)(v >> 16); p[2] = (uint8_t)(v >> 8); p[3] = (uint8_t)v;
}

static int write_chunk(FILE *f, const char *type, const uint8_t *data, uint32_t len) {
    uint8_t head[8];
    put32(head, len);
    memcpy(head + 4, type, 4);
    uint32_t c = crc(0, head + 4, 4);
    c = crc(c, data, len);
    uint8_t tail[4];
    put32(tail, c);
    return fwrite(head, 1, 8, f) == 8 && fwrite(data, 1, len, f) == len && fwrite(tail, 1, 4, f) == 4;
}

static int write_png(const char *path, const uint8_t *rgba, uint32_t width, uint32_t height) {
    size_t row = (size_t)width * 4 + 1; /* a filter byte per row */
    size_t raw_len = row * height;
    size_t blocks = raw_len / 65535 + 1;
    size_t z_len = 2 + raw_len + blocks * 5 + 4;
    uint8_t *z = malloc(z_len);
    uint8_t *raw = malloc(raw_len);
    if (!z || !raw) return 0;
    for (uint32_t y = 0; y < height; y++) {
        raw[y * row] = 0;
        memcpy(raw + y * row + 1, rgba + (size_t)y * width * 4, (size_t)width * 4);
    }
    size_t o = 0;
    z[o++] = 0x78; z[o++] = 0x01;
    uint32_t a = 1, b = 0;
    for (size_t i = 0; i < raw_len; i++) { a = (a + raw[i]) % 65521; b = (b + a) % 65521; }
    for (size_t done = 0; done < raw_len || done == 0;) {
        size_t n = raw_len - done > 65535 ? 65535 : raw_len - done;
        z[o++] = (uint8_t)(done + n == raw_len);
        z[o++] = (uint8_t)n; z[o++] = (uint8_t)(n >> 8);
        z[o++] = (uint8_t)~n; z[o++] = (uint8_t)(~n >> 8);
        memcpy(z + o, raw + done, n);
        o += n; done += n;
        if (raw_len == 0) break;
    }
    put32(z + o, (b << 16) | a);
    o += 4;
    uint8_t ihdr[13];
    put32(ihdr, width); put32(ihdr + 4, height);
    ihdr[8] = 8; ihdr[9] = 6; ihdr[10] = 0; ihdr[11] = 0; ihdr[12] = 0;
    FILE *f = fopen(path, "wb");
    static const uint8_t signature[8] = {137, 80, 78, 71, 13, 10, 26, 10};
    int ok = f && fwrite(signature, 1, 8, f) == 8 && write_chunk(f, "IHDR", ihdr, 13) &&
             write_chunk(f, "IDAT", z, (uint32_t)o) && write_chunk(f, "IEND", NULL, 0);
    if (f) ok = (fclose(f) == 0) && ok;
    free(z);
    free(raw);
    return ok;
}

/* ---- surviving a hostile package ------------------------------------------ */

/* The host's own loop: FRAMES frames at 60 Hz. A frame call that takes
 * longer than a few frames means the engine blocked the host. */
static int survive(const char *app, long frames) {
    CirrusOptions options = {0};
    options.app = app;
    options.width = 375;
    options.height = 667;
    options.dpr = 1;
    /* The host's budget for the package's JavaScript. */
    options.memory_limit_mib = 64;
    CirrusEngine *engine = NULL;
    if (!check(cirrus_engine_new(&options, &engine), "cirrus_engine_new")) return 1;
    HostState state = {{0}, 0, 0};
    if (!check(cirrus_engine_set_callback(engine, on_event, &state), "set_callback")) return 1;
    uint64_t slowest = 0;
    long done = 0;
    for (; done < frames; done++) {
        uint64_t before = now_us();
        if (!check(cirrus_engine_frame(engine, before, NULL), "frame")) break;
        /* Half way, the system warns of low memory (as a phone would). */
        if (done == frames / 2 &&
            !check(cirrus_engine_memory_warning(engine, 10), "memory_warning"))
            break;
        uint64_t took = now_us() - before;
        if (took > slowest) slowest = took;
        sleep_ms(16);
    }
    cirrus_engine_free(engine);
    printf("survived %ld of %ld frames, slowest %llu us, %d error(s)\n", done, frames,
           (unsigned long long)slowest, state.errors);
    /* Half a second is generous: a frame never waits for JS. */
    return done == frames && state.errors > 0 && slowest < 500000 ? 0 : 1;
}

/* ---- the host ------------------------------------------------------------ */

int main(int argc, char **argv) {
    crc_init();
    clock_gettime(CLOCK_MONOTONIC, &started);
    if (argc == 4 && strcmp(argv[1], "--survive") == 0) {
        return survive(argv[2], strtol(argv[3], NULL, 10));
    }
    if (argc != 3) {
        fprintf(stderr, "usage: %s APP_DIR OUT.png\n       %s --survive APP_DIR FRAMES\n", argv[0],
                argv[0]);
        return 2;
    }

    CirrusOptions options = {0};
    options.app = argv[1];
    options.width = 375;
    options.height = 667;
    options.dpr = 1;
    CirrusEngine *engine = NULL;
    if (!check(cirrus_engine_new(&options, &engine), "cirrus_engine_new")) return 1;

    HostState state = {{0}, 0, 0};
    int ok = check(cirrus_engine_set_callback(engine, on_event, &state), "set_callback") &&
             run_until_settled(engine, &state, 20000);
    if (!ok) fprintf(stderr, "the app did not settle\n");
    char first_route[256];
    snprintf(first_route, sizeof first_route, "%s", state.route);

    /* Tap the "About" button where the layout file says it is. */
    char *layout = NULL;
    float x = 0, y = 0;
    ok = ok && check(cirrus_engine_layout_json(engine, &layout), "layout_json") &&
         centre_of(layout, "button button-ghost", &x, &y);
    cirrus_string_free(layout);
    if (ok) {
        printf("tapping (%.0f, %.0f)\n", x, y);
        ok = check(cirrus_engine_touch(engine, 0, CIRRUS_TOUCH_PHASE_DOWN, x, y), "touch down") &&
             check(cirrus_engine_frame(engine, now_us(), NULL), "frame") &&
             check(cirrus_engine_touch(engine, 0, CIRRUS_TOUCH_PHASE_UP, x, y), "touch up") &&
             run_until_settled(engine, &state, 20000);
    }
    if (ok && strcmp(first_route, state.route) == 0) {
        fprintf(stderr, "the page did not change (still %s)\n", state.route);
        ok = 0;
    }

    /* Render into our own buffer and save it. */
    uint32_t width = 0, height = 0;
    ok = ok && check(cirrus_engine_size(engine, &width, &height), "size");
    uint8_t *pixels = ok ? malloc((size_t)width * height * 4) : NULL;
    ok = ok && pixels &&
         check(cirrus_engine_render_rgba(engine, pixels, (size_t)width * height * 4, (size_t)width * 4),
               "render_rgba") &&
         write_png(argv[2], pixels, width, height);
    free(pixels);
    cirrus_engine_free(engine);
    if (ok && state.errors == 0) {
        printf("ok: %s -> %s, wrote %s (%ux%u)\n", first_route, state.route, argv[2], width, height);
        return 0;
    }
    return 1;
}
