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

}  // namespace

void InitBatchNorm(Napi::Env env, Napi::Object exports) {
  exports.Set("batchNorm", Napi::Function::New(env, BatchNorm));
}

}  // namespace gk
