// Element-wise unary ops and the activations fused into matmul.
//
// Cheap ops are plain loops the compiler vectorizes. For transcendental ops
// on large tensors we run oneDNN's JIT eltwise primitive, whose vectorized
// exp/log/tanh are several times faster than calling libm per element; small
// tensors keep the loop so we don't build a primitive for every tiny shape.
#include <omp.h>

#include <cfloat>
#include <cmath>

#include "common.h"

namespace gk {
namespace {

// Codes shared with UnaryOp in src/backend/kernels/unary_ops.ts: names are
// "k" + the TS name (the tfjs kernel's), with "Op" appended where enum
// Activation (common.h) already has the name; test/backend/op-codes.test.ts
// checks that both sides agree.
enum UnaryOp : int {
  kNeg = 0, kAbs, kSquare, kSqrt, kRsqrt, kReciprocal, kExp, kLog, kLog1p, kTanh,
  kSigmoidOp, kSoftplus, kReluOp, kRelu6Op, kLeakyReluOp, kEluOp, kStep, kSign, kClipByValue,
  kNumUnary
};

// activationGrad's op codes, shared with ActivationGradOp in
// src/backend/kernels/GankitActivationGrad.ts.
enum class ActivationGradOp : int { kRelu = 0, kLeakyRelu = 1 };

// Same thresholds as tfjs-backend-cpu's Softplus, so results agree at the ends.
inline float Softplus(float x) {
  const float threshold = std::log(1.1920928955078125e-7f) + 2.0f;
  if (x > -threshold) return x;
  float e = std::exp(x);
  if (x < threshold) return e;
  return std::log(e + 1.0f);
}

// The serial branch is spelled out rather than left to an OpenMP if() clause:
// GCC vectorized only the parallel version of `parallel for simd if(...)`,
// so small tensors ran 3-4× slower than they should.
template <typename F>
inline void Map(const float *x, float *y, int64_t n, F f) {
  if (n > kParallelGrain) {
#pragma omp parallel for simd
    for (int64_t i = 0; i < n; ++i) y[i] = f(x[i]);
  } else {
#pragma omp simd
    for (int64_t i = 0; i < n; ++i) y[i] = f(x[i]);
  }
}

// Parameterized ops take their constants as arguments rather than lambda
// captures: a capture lives behind a pointer inside the OpenMP region, which
// kept GCC from vectorizing (leaky ReLU ran 40× slower than ReLU).
template <typename F>
inline void MapP(const float *x, float *y, int64_t n, float a, float b, F f) {
  if (n > kParallelGrain) {
#pragma omp parallel for simd firstprivate(a, b)
    for (int64_t i = 0; i < n; ++i) y[i] = f(x[i], a, b);
  } else {
#pragma omp simd
    for (int64_t i = 0; i < n; ++i) y[i] = f(x[i], a, b);
  }
}

void RunLoop(int op, const float *x, float *y, int64_t n, float a, float b) {
  switch (op) {
    case kNeg: return Map(x, y, n, [](float v) { return -v; });
    case kAbs: return Map(x, y, n, [](float v) { return std::fabs(v); });
    case kSquare: return Map(x, y, n, [](float v) { return v * v; });
    case kSqrt: return Map(x, y, n, [](float v) { return std::sqrt(v); });
    case kRsqrt: return Map(x, y, n, [](float v) { return 1.f / std::sqrt(v); });
    case kReciprocal: return Map(x, y, n, [](float v) { return 1.f / v; });
    case kExp: return Map(x, y, n, [](float v) { return std::exp(v); });
    case kLog: return Map(x, y, n, [](float v) { return std::log(v); });
    case kLog1p: return Map(x, y, n, [](float v) { return std::log1p(v); });
    case kTanh: return Map(x, y, n, [](float v) { return std::tanh(v); });
    case kSigmoidOp: return Map(x, y, n, [](float v) { return 1.f / (1.f + std::exp(-v)); });
    case kSoftplus: return Map(x, y, n, [](float v) { return Softplus(v); });
    // NaN must propagate as in tfjs, hence "v < 0 ? 0 : v" rather than max().
    case kReluOp: return Map(x, y, n, [](float v) { return v < 0.f ? 0.f : v; });
    case kRelu6Op:
      return Map(x, y, n, [](float v) { return v < 0.f ? 0.f : (v > 6.f ? 6.f : v); });
    case kLeakyReluOp:
      return MapP(x, y, n, a, b, [](float v, float s, float) { return v * (v < 0.f ? s : 1.f); });
    case kEluOp: return Map(x, y, n, [](float v) { return v >= 0.f ? v : std::expm1(v); });
    case kStep:
      return MapP(x, y, n, a, b, [](float v, float s, float) { return v != v ? v : (v > 0.f ? 1.f : s); });
    case kSign:
      return Map(x, y, n, [](float v) { return v > 0.f ? 1.f : (v < 0.f ? -1.f : 0.f); });
    case kClipByValue:
      return MapP(x, y, n, a, b, [](float v, float lo, float hi) { return v < lo ? lo : (v > hi ? hi : v); });
  }
}

// oneDNN algorithm for ops worth a JIT primitive; undef otherwise. Not log:
// oneDNN 2.6's JIT log is off by up to ~1.5e-6 absolute near 1 (log(0.98):
// -0.0203541 for -0.0203527, 7e-5 relative), where libm is exact.
bool OneDnnAlg(int op, dnnl::algorithm *alg, float *alpha) {
  *alpha = 0.f;
  switch (op) {
    case kExp: *alg = dnnl::algorithm::eltwise_exp; return true;
    case kTanh: *alg = dnnl::algorithm::eltwise_tanh; return true;
    case kSigmoidOp: *alg = dnnl::algorithm::eltwise_logistic; return true;
    case kEluOp: *alg = dnnl::algorithm::eltwise_elu; *alpha = 1.f; return true;
    default: return false;
  }
}

// Keyed by element count, so every tensor size ≥ kJitMin gets its own entry:
// a DCGAN-28 run with fid10k evaluation uses 3 (G's tanh at the batch sizes
// of training, pictures and evaluation); 64 holds far more; entries own no
// buffers, only small JIT kernels.
constexpr size_t kEltCacheCapacity = 64;
Cache<Primitive> &EltCache() {
  static auto *c = new Cache<Primitive>("eltwise", kEltCacheCapacity);  // never destroyed, see Engine()
  return *c;
}

constexpr int64_t kJitMin = 1 << 14;

// Whether every value is finite. oneDNN 2.6's JIT kernels clamp their input
// before the polynomial, which turns NaN into a number (exp(NaN) came out
// +Inf); a tensor holding NaN or ±Inf takes the exact loop instead. The scan
// reads x once, a fraction of the kernel's own cost.
bool AllFinite(const float *x, int64_t n) {
  int bad = 0;
  if (n > kParallelGrain) {
#pragma omp parallel for simd reduction(| : bad)
    for (int64_t i = 0; i < n; ++i) bad |= !(std::fabs(x[i]) <= FLT_MAX);
  } else {
#pragma omp simd reduction(| : bad)
    for (int64_t i = 0; i < n; ++i) bad |= !(std::fabs(x[i]) <= FLT_MAX);
  }
  return bad == 0;
}

void RunUnary(int op, const float *x, float *y, int64_t n, float a, float b) {
  dnnl::algorithm alg;
  float alpha;
  if (n >= kJitMin && OneDnnAlg(op, &alg, &alpha) && AllFinite(x, n)) {
    Primitive &e = EltCache().Get({op, n, omp_get_max_threads()}, [&] {
      auto en = std::make_unique<Primitive>();
      dnnl::memory::desc md({n}, dnnl::memory::data_type::f32, dnnl::memory::format_tag::x);
      dnnl::eltwise_forward::desc d(dnnl::prop_kind::forward_inference, alg, md, alpha, 0.f);
      dnnl::eltwise_forward::primitive_desc pd(d, UserScratchpad(), Engine());
      en->prim = dnnl::eltwise_forward(pd);
      en->scratchpadBytes = pd.scratchpad_desc().get_size();
      en->Bind(DNNL_ARG_SRC, md);
      en->Bind(DNNL_ARG_DST, md);
      return en;
    });
    e.Run({{DNNL_ARG_SRC, x}, {DNNL_ARG_DST, y}});
    return;
  }
  RunLoop(op, x, y, n, a, b);
}

// unary(op, x, y, alpha, beta)
Napi::Value Unary(const Napi::CallbackInfo &info) {
  Napi::Env env = info.Env();
  int64_t op = ArgInt(info, 0, "op");
  F32 x = ArgF32(info, 1, "x"), y = ArgF32(info, 2, "y");
  float a = static_cast<float>(ArgNum(info, 3, "alpha"));
  float b = static_cast<float>(ArgNum(info, 4, "beta"));
  Check(env, op >= 0 && op < kNumUnary,
        "Expected a unary op code below " + std::to_string(kNumUnary) + " for op but received " +
            std::to_string(op));
  Check(env, x.length == y.length,
        "Expected y to have the " + std::to_string(x.length) + " elements of x but received " +
            std::to_string(y.length));
  RunUnary(static_cast<int>(op), x.data, y.data, static_cast<int64_t>(x.length), a, b);
  return env.Undefined();
}

// activationGrad(op, dy, x, dx, alpha): the gradients tfjs builds from three
// full-size ops (Greater + Multiply + Select for leaky ReLU; Cast + Step +
// Multiply for ReLU), in one pass. op 0: ReLU, dx = dy·step(x) (NaN stays
// NaN); op 1: leaky ReLU, dx = x > 0 ? dy : alpha·dy.
Napi::Value ActivationGrad(const Napi::CallbackInfo &info) {
  Napi::Env env = info.Env();
  int64_t op = ArgInt(info, 0, "op");
  F32 dy = ArgF32(info, 1, "dy"), x = ArgF32(info, 2, "x"), dx = ArgF32(info, 3, "dx");
  const float alpha = static_cast<float>(ArgNum(info, 4, "alpha"));
  const bool relu = op == static_cast<int64_t>(ActivationGradOp::kRelu);
  Check(env, relu || op == static_cast<int64_t>(ActivationGradOp::kLeakyRelu),
        "Expected op 0 (relu) or 1 (leakyRelu) but received " + std::to_string(op));
  Check(env, x.length == dy.length && dx.length == dy.length,
        "Expected dy, x and dx of one length but received " + std::to_string(dy.length) + ", " +
            std::to_string(x.length) + ", " + std::to_string(dx.length));
  const int64_t n = static_cast<int64_t>(dy.length);
  const float *g = dy.data, *v = x.data;
  float *o = dx.data;
  if (relu) {
#pragma omp simd
    for (int64_t i = 0; i < n; ++i) o[i] = g[i] * (v[i] != v[i] ? v[i] : (v[i] > 0.f ? 1.f : 0.f));
  } else {
#pragma omp simd
    for (int64_t i = 0; i < n; ++i) o[i] = g[i] * (v[i] > 0.f ? 1.f : alpha);
  }
  return env.Undefined();
}

}  // namespace

void ApplyActivation(float *y, int64_t n, int act, float alpha) {
  switch (act) {
    case kRelu: return RunUnary(kReluOp, y, y, n, 0, 0);
    case kRelu6: return RunUnary(kRelu6Op, y, y, n, 0, 0);
    case kLeakyRelu: return RunUnary(kLeakyReluOp, y, y, n, alpha, 0);
    case kElu: return RunUnary(kEluOp, y, y, n, 0, 0);
    case kSigmoid: return RunUnary(kSigmoidOp, y, y, n, 0, 0);
    default: return;
  }
}

void InitUnary(Napi::Env env, Napi::Object exports) {
  EltCache();  // registered now, so memoryUse() lists it before its first use
  exports.Set("unary", Napi::Function::New(env, Unary));
  exports.Set("activationGrad", Napi::Function::New(env, ActivationGrad));
}

}  // namespace gk
