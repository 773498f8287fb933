// Fused, in-place optimizer updates: one pass over param, grad and state
// instead of the ~10 tensor ops (each allocating a full-size result) that the
// same update costs as tfjs ops.
#include <omp.h>

#include <cmath>

#include "common.h"

namespace gk {
namespace {

// adamUpdate(param, grad, m, v, lr, beta1, beta2, eps, step)
//   m ← β1·m + (1−β1)·g
//   v ← β2·v + (1−β2)·g²
//   p ← p − lr · (m / (1−β1^t)) / (sqrt(v / (1−β2^t)) + eps)
// (tf.train.adam and torch.optim.Adam; t = step counts from 1.)
Napi::Value AdamUpdate(const Napi::CallbackInfo &info) {
  Napi::Env env = info.Env();
  F32 p = ArgF32(info, 0, "param"), g = ArgF32(info, 1, "grad"), m = ArgF32(info, 2, "m"),
      v = ArgF32(info, 3, "v");
  double lr = ArgNum(info, 4, "lr"), b1 = ArgNum(info, 5, "beta1"), b2 = ArgNum(info, 6, "beta2"),
         eps = ArgNum(info, 7, "eps");
  int64_t step = ArgInt(info, 8, "step");
  Check(env, g.length == p.length && m.length == p.length && v.length == p.length,
        "Expected grad, m and v of the param's length " + std::to_string(p.length));
  Check(env, step >= 1, "Expected step >= 1 but received " + std::to_string(step));
  const float fb1 = static_cast<float>(b1), fb2 = static_cast<float>(b2);
  const float c1 = static_cast<float>(1.0 / (1.0 - std::pow(b1, static_cast<double>(step))));
  const float c2 = static_cast<float>(1.0 / (1.0 - std::pow(b2, static_cast<double>(step))));
  const float flr = static_cast<float>(lr), feps = static_cast<float>(eps);
  const int64_t n = static_cast<int64_t>(p.length);
  float *pp = p.data, *pm = m.data, *pv = v.data;
  const float *pg = g.data;
#pragma omp parallel for simd if (n > kParallelGrain)
  for (int64_t i = 0; i < n; ++i) {
    const float gi = pg[i];
    const float mi = fb1 * pm[i] + (1.f - fb1) * gi;
    const float vi = fb2 * pv[i] + (1.f - fb2) * gi * gi;
    pm[i] = mi;
    pv[i] = vi;
    pp[i] -= flr * (mi * c1) / (std::sqrt(vi * c2) + feps);
  }
  return env.Undefined();
}

// sgdMomentumUpdate(param, grad, buf, lr, momentum)   (PyTorch convention)
//   buf ← μ·buf + g
//   p   ← p − lr·buf
Napi::Value SgdMomentumUpdate(const Napi::CallbackInfo &info) {
  Napi::Env env = info.Env();
  F32 p = ArgF32(info, 0, "param"), g = ArgF32(info, 1, "grad"), b = ArgF32(info, 2, "buf");
  const float lr = static_cast<float>(ArgNum(info, 3, "lr"));
  const float mu = static_cast<float>(ArgNum(info, 4, "momentum"));
  Check(env, g.length == p.length && b.length == p.length,
        "Expected grad and buf of the param's length " + std::to_string(p.length));
  const int64_t n = static_cast<int64_t>(p.length);
  float *pp = p.data, *pb = b.data;
  const float *pg = g.data;
#pragma omp parallel for simd if (n > kParallelGrain)
  for (int64_t i = 0; i < n; ++i) {
    const float bi = mu * pb[i] + pg[i];
    pb[i] = bi;
    pp[i] -= lr * bi;
  }
  return env.Undefined();
}

}  // namespace

void InitOptim(Napi::Env env, Napi::Object exports) {
  exports.Set("adamUpdate", Napi::Function::New(env, AdamUpdate));
  exports.Set("sgdMomentumUpdate", Napi::Function::New(env, SgdMomentumUpdate));
}

}  // namespace gk
