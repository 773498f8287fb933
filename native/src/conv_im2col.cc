// im2col + GEMM convolutions for inputs with few channels. With K = kh·kw·ic
// and P = n·oh·ow, the patch matrix cols[P, K] turns each direction into one
// GEMM on the HWIO filter viewed as W[K, oc]:
//   forward:        y[P, oc]  = cols · W
//   backward data:  cols      = dy[P, oc] · Wᵀ, then scatter-added into dx
//   backward filter: dW[K, oc] = colsᵀ · dy
// cols is small here (ic ≤ 4) and lives in a bounded buffer reused across calls.
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

// The patch matrix lives in a Scratch (common.h): reused while the shapes
// repeat, released when it is much larger than recent calls need.
float *Cols(size_t n) { return static_cast<float *>(Im2colScratch().Get(n * sizeof(float))); }

// For each output pixel and filter row the kw·ic taps of one filter row are
// contiguous in both x (when the dilation is 1) and cols, so interior pixels
// copy a run; only border pixels test every tap.
void Im2col(const Geom &g, const float *x, float *cols) {
  const int64_t K = g.kh * g.kw * g.ic;
  const int64_t P = g.n * g.oh * g.ow;
  const int64_t run = g.kw * g.ic;
#pragma omp parallel for if (P * K > kCopyGrain)
  for (int64_t p = 0; p < P; ++p) {
    const int64_t b = p / (g.oh * g.ow), r = (p / g.ow) % g.oh, c = p % g.ow;
    float *row = cols + p * K;
    const int64_t x0 = c * g.sw - g.pl;
    const bool interiorW = g.dw == 1 && x0 >= 0 && x0 + g.kw <= g.iw;
    for (int64_t i = 0; i < g.kh; ++i) {
      const int64_t y = r * g.sh + i * g.dh - g.pt;
      float *dst = row + i * run;
      if (y < 0 || y >= g.ih) {
        std::fill(dst, dst + run, 0.f);
        continue;
      }
      const float *xrow = x + (b * g.ih + y) * g.iw * g.ic;
      if (interiorW) {
        const float *src = xrow + x0 * g.ic;
        for (int64_t t = 0; t < run; ++t) dst[t] = src[t];
        continue;
      }
      for (int64_t j = 0; j < g.kw; ++j) {
        const int64_t xx = x0 + j * g.dw;
        const bool inside = xx >= 0 && xx < g.iw;
        const float *src = xrow + xx * g.ic;
        for (int64_t ch = 0; ch < g.ic; ++ch) dst[j * g.ic + ch] = inside ? src[ch] : 0.f;
      }
    }
  }
}

// Scatter-add of cols back into the image; images are independent, so the
// batch dim is the parallel one (no two threads touch the same pixel).
void Col2im(const Geom &g, const float *cols, float *dx) {
  const int64_t K = g.kh * g.kw * g.ic;
  const int64_t run = g.kw * g.ic;
  std::memset(dx, 0, sizeof(float) * g.n * g.ih * g.iw * g.ic);
#pragma omp parallel for if (g.n * g.oh * g.ow * K > kCopyGrain)
  for (int64_t b = 0; b < g.n; ++b) {
    for (int64_t r = 0; r < g.oh; ++r) {
      for (int64_t c = 0; c < g.ow; ++c) {
        const float *row = cols + ((b * g.oh + r) * g.ow + c) * K;
        const int64_t x0 = c * g.sw - g.pl;
        const bool interiorW = g.dw == 1 && x0 >= 0 && x0 + g.kw <= g.iw;
        for (int64_t i = 0; i < g.kh; ++i) {
          const int64_t y = r * g.sh + i * g.dh - g.pt;
          if (y < 0 || y >= g.ih) continue;
          float *drow = dx + (b * g.ih + y) * g.iw * g.ic;
          const float *src = row + i * run;
          if (interiorW) {
            float *dst = drow + x0 * g.ic;
            for (int64_t t = 0; t < run; ++t) dst[t] += src[t];
            continue;
          }
          for (int64_t j = 0; j < g.kw; ++j) {
            const int64_t xx = x0 + j * g.dw;
            if (xx < 0 || xx >= g.iw) continue;
            float *dst = drow + xx * g.ic;
            for (int64_t ch = 0; ch < g.ic; ++ch) dst[ch] += src[j * g.ic + ch];
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
  float *cols = Cols(static_cast<size_t>(P * K));
  Im2col(g, x, cols);
  Gemm(cols, w, y, 1, 1, P, K, g.oc, false, false, bias, bias ? 1 : 0, act, alpha);
}

void Im2colConvBackwardData(const Geom &g, const float *dy, const float *w, float *dx) {
  const int64_t K = g.kh * g.kw * g.ic, P = g.n * g.oh * g.ow;
  float *cols = Cols(static_cast<size_t>(P * K));
  Gemm(dy, w, cols, 1, 1, P, g.oc, K, false, true, nullptr, 0, kLinear, 0.f);
  Col2im(g, cols, dx);
}

void Im2colConvBackwardWeights(const Geom &g, const float *x, const float *dy, float *dw) {
  const int64_t K = g.kh * g.kw * g.ic, P = g.n * g.oh * g.ow;
  float *cols = Cols(static_cast<size_t>(P * K));
  Im2col(g, x, cols);
  Gemm(cols, dy, dw, 1, 1, K, P, g.oc, true, false, nullptr, 0, kLinear, 0.f);
}

}  // namespace gk
