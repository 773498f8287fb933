// FusedBatchNorm (inference form, as tfjs's kernel: statistics are inputs):
// out = (x − mean) · scale / sqrt(variance + eps) + offset, per channel
// (the last dim). Folded to out = x · a[c] + b[c] so the loop is one FMA.
#include <omp.h>

#include <cmath>
#include <vector>

#include "common.h"

namespace gk {
namespace {

// batchNorm(x, mean, variance, offset|null, scale|null, out, channels, eps)
// Each statistic has length `channels` or 1.
Napi::Value BatchNorm(const Napi::CallbackInfo &info) {
  Napi::Env env = info.Env();
  F32 x = ArgF32(info, 0, "x"), mean = ArgF32(info, 1, "mean"),
      var = ArgF32(info, 2, "variance");
  F32 off = ArgF32Opt(info, 3, "offset"), scale = ArgF32Opt(info, 4, "scale");
  F32 out = ArgF32(info, 5, "out");
  int64_t c = ArgInt(info, 6, "channels");
  double eps = ArgNum(info, 7, "varianceEpsilon");
  auto okLen = [c](const F32 &t) { return t.data == nullptr || t.length == 1 || static_cast<int64_t>(t.length) == c; };
  Check(env, c >= 1 && x.length % c == 0 && out.length == x.length,
        "Expected x and out whose length is a multiple of channels=" + std::to_string(c));
  Check(env, okLen(mean) && okLen(var) && okLen(off) && okLen(scale),
        "Expected mean, variance, offset and scale of length 1 or " + std::to_string(c));
  std::vector<float> a(c), b(c);
  auto at = [](const F32 &t, int64_t i, float dflt) {
    return t.data == nullptr ? dflt : t.data[t.length == 1 ? 0 : i];
  };
  for (int64_t i = 0; i < c; ++i) {
    double inv = at(scale, i, 1.f) / std::sqrt(static_cast<double>(at(var, i, 0.f)) + eps);
    a[i] = static_cast<float>(inv);
    b[i] = static_cast<float>(at(off, i, 0.f) - at(mean, i, 0.f) * inv);
  }
  const int64_t rows = static_cast<int64_t>(x.length) / c;
  const float *pa = a.data(), *pb = b.data();
#pragma omp parallel for if (static_cast<int64_t>(x.length) > kParallelGrain)
  for (int64_t r = 0; r < rows; ++r) {
    const float *xr = x.data + r * c;
    float *yr = out.data + r * c;
#pragma omp simd
    for (int64_t j = 0; j < c; ++j) yr[j] = xr[j] * pa[j] + pb[j];
  }
  return env.Undefined();
}

// batchNormGrad(x, dy, mean, variance, scale|null, channels, eps,
//               dx, dmean, dvariance, dscale, doffset)
// Gradients of out = (x − mean)·scale·r + offset, r = 1/sqrt(variance + eps),
// with the statistics as inputs (tfjs's FusedBatchNorm), reduced over every
// dim but the last. With S1 = Σ dy and S2 = Σ dy·(x − mean) per channel:
//   dx = dy·scale·r        dmean = −scale·r·S1      dvariance = −½·scale·r³·S2
//   dscale = r·S2          doffset = S1
// One pass for the sums, one for dx — tfjs's own gradient takes ~12
// full-size tensor ops (and a Tile) for the same.
Napi::Value BatchNormGrad(const Napi::CallbackInfo &info) {
  Napi::Env env = info.Env();
  F32 x = ArgF32(info, 0, "x"), dy = ArgF32(info, 1, "dy"), mean = ArgF32(info, 2, "mean"),
      var = ArgF32(info, 3, "variance");
  F32 scale = ArgF32Opt(info, 4, "scale");
  int64_t c = ArgInt(info, 5, "channels");
  double eps = ArgNum(info, 6, "varianceEpsilon");
  F32 dx = ArgF32(info, 7, "dx"), dmean = ArgF32(info, 8, "dmean"), dvar = ArgF32(info, 9, "dvariance"),
      dscale = ArgF32(info, 10, "dscale"), doff = ArgF32(info, 11, "doffset");
  const size_t uc = static_cast<size_t>(c);
  Check(env, c >= 1 && x.length % uc == 0 && dy.length == x.length && dx.length == x.length,
        "Expected x, dy and dx of one length, a multiple of channels=" + std::to_string(c));
  Check(env, mean.length == uc && var.length == uc && (scale.data == nullptr || scale.length == uc) &&
                 dmean.length == uc && dvar.length == uc && dscale.length == uc && doff.length == uc,
        "Expected per-channel statistics and gradients of length " + std::to_string(c));
  const int64_t rows = static_cast<int64_t>(x.length) / c;
  std::vector<double> s1(uc, 0.0), s2(uc, 0.0);
  const float *px = x.data, *pdy = dy.data, *pm = mean.data;
  for (int64_t r = 0; r < rows; ++r) {
    const float *xr = px + r * c, *gr = pdy + r * c;
    for (int64_t j = 0; j < c; ++j) {
      s1[j] += gr[j];
      s2[j] += static_cast<double>(gr[j]) * (xr[j] - pm[j]);
    }
  }
  std::vector<float> a(uc);
  for (int64_t j = 0; j < c; ++j) {
    const double rs = 1.0 / std::sqrt(static_cast<double>(var.data[j]) + eps);
    const double sc = scale.data ? scale.data[j] : 1.0;
    a[j] = static_cast<float>(sc * rs);
    dmean.data[j] = static_cast<float>(-sc * rs * s1[j]);
    dvar.data[j] = static_cast<float>(-0.5 * sc * rs * rs * rs * s2[j]);
    dscale.data[j] = static_cast<float>(rs * s2[j]);
    doff.data[j] = static_cast<float>(s1[j]);
  }
  const float *pa = a.data();
  float *pdx = dx.data;
  for (int64_t r = 0; r < rows; ++r) {
    const float *gr = pdy + r * c;
    float *dr = pdx + r * c;
#pragma omp simd
    for (int64_t j = 0; j < c; ++j) dr[j] = gr[j] * pa[j];
  }
  return env.Undefined();
}

}  // namespace

void InitBatchNorm(Napi::Env env, Napi::Object exports) {
  exports.Set("batchNorm", Napi::Function::New(env, BatchNorm));
  exports.Set("batchNormGrad", Napi::Function::New(env, BatchNormGrad));
}

}  // namespace gk
