/* Shared code of the GPU test cases: random data, poisoned outputs, exact
   comparison against a CPU reference, fp16/bf16 conversions. Each case is
   one C file that defines the kernel's reference and calls its generated
   launcher (tl-opt --emit=c). */
#ifndef TL_GPU_HARNESS_H
#define TL_GPU_HARNESS_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "tlrt.h"

#define CHECK(call)                                                            \
  do {                                                                         \
    int rc_ = (call);                                                          \
    if (rc_) {                                                                 \
      printf("FAIL %s: %s: %s\n", CASE_NAME, #call, tlrtLastError());          \
      exit(1);                                                                 \
    }                                                                          \
  } while (0)

static uint64_t rngState;

static void seedRandom(void) {
  const char *fixed = getenv("TL_GPU_SEED");
  rngState = fixed ? strtoull(fixed, NULL, 0)
                   : (uint64_t)time(NULL) * 0x9E3779B97F4A7C15ull ^
                         (uint64_t)(uintptr_t)&rngState;
  if (!rngState)
    rngState = 1;
}

static uint64_t nextRandom(void) {
  rngState ^= rngState << 13;
  rngState ^= rngState >> 7;
  rngState ^= rngState << 17;
  return rngState;
}

/* Random bytes; for float types the caller uses fillRandomFloats. */
static void fillRandomBytes(void *p, size_t n) {
  unsigned char *b = p;
  for (size_t i = 0; i < n; ++i)
    b[i] = (unsigned char)nextRandom();
}

/* Random finite values in [-4, 4) with fraction bits, as float. */
static float randomFloat(void) {
  return (float)((int64_t)(nextRandom() % 8192) - 4096) / 1024.0f;
}

static uint16_t floatToHalf(float f) {
  uint32_t x;
  memcpy(&x, &f, 4);
  uint32_t sign = (x >> 16) & 0x8000u;
  int32_t exp = (int32_t)((x >> 23) & 0xff) - 127 + 15;
  uint32_t mant = x & 0x7fffffu;
  if (((x >> 23) & 0xff) == 0xff)
    return (uint16_t)(sign | 0x7c00u | (mant ? 0x200u : 0));
  if (exp >= 31)
    return (uint16_t)(sign | 0x7c00u);
  if (exp <= 0) {
    if (exp < -10)
      return (uint16_t)sign;
    mant |= 0x800000u;
    uint32_t shift = (uint32_t)(14 - exp);
    uint32_t half = mant >> shift;
    uint32_t rem = mant & ((1u << shift) - 1);
    uint32_t mid = 1u << (shift - 1);
    if (rem > mid || (rem == mid && (half & 1)))
      ++half;
    return (uint16_t)(sign | half);
  }
  uint32_t half = sign | ((uint32_t)exp << 10) | (mant >> 13);
  uint32_t rem = mant & 0x1fffu;
  if (rem > 0x1000u || (rem == 0x1000u && (half & 1)))
    ++half;
  return (uint16_t)half;
}

static float halfToFloat(uint16_t h) {
  uint32_t sign = (uint32_t)(h & 0x8000u) << 16;
  uint32_t exp = (h >> 10) & 0x1f, mant = h & 0x3ffu, x;
  if (exp == 0) {
    if (mant == 0) {
      x = sign;
    } else {
      exp = 127 - 15 + 1;
      while (!(mant & 0x400u)) {
        mant <<= 1;
        --exp;
      }
      x = sign | (exp << 23) | ((mant & 0x3ffu) << 13);
    }
  } else if (exp == 31) {
    x = sign | 0x7f800000u | (mant << 13);
  } else {
    x = sign | ((exp - 15 + 127) << 23) | (mant << 13);
  }
  float f;
  memcpy(&f, &x, 4);
  return f;
}

static uint16_t floatToBF16(float f) {
  uint32_t x;
  memcpy(&x, &f, 4);
  if ((x & 0x7fffffffu) > 0x7f800000u)
    return (uint16_t)((x >> 16) | 0x40);
  x += 0x7fffu + ((x >> 16) & 1);
  return (uint16_t)(x >> 16);
}

static float bf16ToFloat(uint16_t h) {
  uint32_t x = (uint32_t)h << 16;
  float f;
  memcpy(&f, &x, 4);
  return f;
}

/* Device buffer of `bytes`, filled with the poison byte 0xA5 so that an
   element the kernel never wrote cannot pass. */
static uint64_t devicePoisoned(size_t bytes) {
  uint64_t p;
  CHECK(tlrtMalloc(&p, bytes));
  CHECK(tlrtMemset8(p, 0xA5, bytes));
  return p;
}

static uint64_t deviceFrom(const void *host, size_t bytes) {
  uint64_t p;
  CHECK(tlrtMalloc(&p, bytes));
  CHECK(tlrtCopyToDevice(p, host, bytes));
  return p;
}

/* An element of `size` bytes (1, 2 or 4) as a zero-extended uint32_t: the
   pipelined-loop cases (gen_pipeline.py) hash the tiles' bits. */
static uint32_t elementBits(const void *p, size_t size) {
  uint32_t u = 0;
  if (size == 4) {
    memcpy(&u, p, 4);
  } else if (size == 2) {
    uint16_t h;
    memcpy(&h, p, 2);
    u = h;
  } else {
    u = *(const uint8_t *)p;
  }
  return u;
}

/* Exact comparison of `count` elements of `size` bytes. */
static int compareExact(const void *got, const void *want, size_t count,
                        size_t size) {
  const unsigned char *g = got, *w = want;
  size_t bad = 0, first = 0;
  for (size_t i = 0; i < count; ++i)
    if (memcmp(g + i * size, w + i * size, size)) {
      if (!bad)
        first = i;
      ++bad;
    }
  if (bad) {
    printf("FAIL %s: %zu of %zu elements differ; first at %zu (got 0x",
           CASE_NAME, bad, count, first);
    for (size_t b = size; b-- > 0;)
      printf("%02x", g[first * size + b]);
    printf(", want 0x");
    for (size_t b = size; b-- > 0;)
      printf("%02x", w[first * size + b]);
    printf(")\n");
    return 1;
  }
  printf("PASS %s (%zu elements)\n", CASE_NAME, count);
  return 0;
}

/* The check of the MMA cases (test/GPU/gen_gemm.py states why): a result
   g against the double-precision ref, where mag = sum |a b| over the K
   products, within 2^-10 |ref| + 2 K 2^-24 mag. A miss counts in *bad
   (the first 5 printed as what[i][j]); *worst keeps the largest
   error / bound. */
static void checkMma(const char *what, size_t i, size_t j, double g,
                     double ref, double mag, double K, size_t *bad,
                     double *worst) {
  double bound = (ref < 0 ? -ref : ref) / 1024.0 + 2.0 * K * mag / 16777216.0;
  double err = g > ref ? g - ref : ref - g;
  if (!(err <= bound) && (*bad)++ < 5)
    printf("%s[%zu][%zu] = %g, want %g (bound %g)\n", what, i, j, g, ref,
           bound);
  if (bound > 0 && err / bound > *worst)
    *worst = err / bound;
}

/* The last line of an MMA case: PASS / FAIL, the worst error. */
static int reportMma(size_t bad, size_t count, double worst) {
  printf("%s %s (%zu elements, worst error %.3f of the bound)\n",
         bad ? "FAIL" : "PASS", CASE_NAME, count, worst);
  return bad != 0;
}

#endif
