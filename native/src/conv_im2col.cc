// im2col + GEMM convolutions for inputs with few channels. With K = kh·kw·ic
// and P = n·oh·ow, the patch matrix cols[P, K] turns each direction into one
// GEMM on the HWIO filter viewed as W[K, oc]:
//   forward:        y[P, oc]  = cols · W
//   backward data:  cols      = dy[P, oc] · Wᵀ, then scatter-added into dx
//   backward filter: dW[K, oc] = colsᵀ · dy
// cols is small here (ic ≤ 4) and lives in a buffer reused across calls.
#include <omp.h>

#include <algorithm>
#include <cstring>
#include <vector>

#include "common.h"
#include "conv.h"

namespace gk {
namespace {

// These loops only move memory; below a few MB one thread keeps up with it.
constexpr int64_t kCopyGrain = 1 << 20;

float *Scratch(size_t n) {
  static auto *buf = new std::vector<float>();  // never destroyed, see Engine()
  if (buf->size() < n) buf->resize(n);
  return buf->data();
}

void Im2col(const Geom &g, const float *x, float *cols) {
  const int64_t K = g.kh * g.kw * g.ic;
  const int64_t P = g.n * g.oh * g.ow;
#pragma omp parallel for if (P * K > kCopyGrain)
  for (int64_t p = 0; p < P; ++p) {
    const int64_t b = p / (g.oh * g.ow), r = (p / g.ow) % g.oh, c = p % g.ow;
    float *row = cols + p * K;
    for (int64_t i = 0; i < g.kh; ++i) {
      const int64_t y = r * g.sh + i * g.dh - g.pt;
      for (int64_t j = 0; j < g.kw; ++j) {
        const int64_t xx = c * g.sw + j * g.dw - g.pl;
        float *dst = row + (i * g.kw + j) * g.ic;
        const bool inside = y >= 0 && y < g.ih && xx >= 0 && xx < g.iw;
        const float *src = x + ((b * g.ih + y) * g.iw + xx) * g.ic;
        for (int64_t ch = 0; ch < g.ic; ++ch) dst[ch] = inside ? src[ch] : 0.f;
      }
    }
  }
}

// Scatter-add of cols back into the image; images are independent, so the
// batch dim is the parallel one (no two threads touch the same pixel).
void Col2im(const Geom &g, const float *cols, float *dx) {
  const int64_t K = g.kh * g.kw * g.ic;
  std::memset(dx, 0, sizeof(float) * g.n * g.ih * g.iw * g.ic);
#pragma omp parallel for if (g.n * g.oh * g.ow * K > kCopyGrain)
  for (int64_t b = 0; b < g.n; ++b) {
    for (int64_t r = 0; r < g.oh; ++r) {
      for (int64_t c = 0; c < g.ow; ++c) {
        const float *row = cols + ((b * g.oh + r) * g.ow + c) * K;
        for (int64_t i = 0; i < g.kh; ++i) {
          const int64_t y = r * g.sh + i * g.dh - g.pt;
          if (y < 0 || y >= g.ih) continue;
          for (int64_t j = 0; j < g.kw; ++j) {
            const int64_t xx = c * g.sw + j * g.dw - g.pl;
            if (xx < 0 || xx >= g.iw) continue;
            float *dst = dx + ((b * g.ih + y) * g.iw + xx) * g.ic;
            const float *src = row + (i * g.kw + j) * g.ic;
            for (int64_t ch = 0; ch < g.ic; ++ch) dst[ch] += src[ch];
          }
        }
      }
    }
  }
}

}  // namespace

void Im2colConvForward(const Geom &g, const float *x, const float *w, const float *bias, float *y,
                       int act, float alpha) {
  const int64_t K = g.kh * g.kw * g.ic, P = g.n * g.oh * g.ow;
  float *cols = Scratch(static_cast<size_t>(P * K));
  Im2col(g, x, cols);
  Gemm(cols, w, y, 1, 1, P, K, g.oc, false, false, bias, bias ? 1 : 0, act, alpha);
}

void Im2colConvBackwardData(const Geom &g, const float *dy, const float *w, float *dx) {
  const int64_t K = g.kh * g.kw * g.ic, P = g.n * g.oh * g.ow;
  float *cols = Scratch(static_cast<size_t>(P * K));
  Gemm(dy, w, cols, 1, 1, P, g.oc, K, false, true, nullptr, 0, kLinear, 0.f);
  Col2im(g, cols, dx);
}

void Im2colConvBackwardWeights(const Geom &g, const float *x, const float *dy, float *dw) {
  const int64_t K = g.kh * g.kw * g.ic, P = g.n * g.oh * g.ow;
  float *cols = Scratch(static_cast<size_t>(P * K));
  Im2col(g, x, cols);
  Gemm(cols, dy, dw, 1, 1, K, P, g.oc, true, false, nullptr, 0, kLinear, 0.f);
}

}  // namespace gk
