// MatMul / BatchMatMul / _FusedMatMul through oneDNN's matmul primitive,
// cached per shape, with the bias fused as its bias input and the activation
// applied in place afterwards. (dnnl_sgemm was the first choice — no primitive to create —
// but Debian's 2.6.3 build corrupted the heap inside sgemm when a signal, such
// as V8's sampling profiler's, landed mid-call; the primitive path does not.)
#include <cstdlib>
#include <omp.h>

#include "common.h"

namespace gk {
namespace {

using dt = dnnl::memory::data_type;

// Products below this many flops run on one thread; GANKIT_SERIAL_GEMM_FLOPS
// overrides it (read once), for measuring where splitting starts to pay.
double SerialGemmFlops() {
  static const double flops = [] {
    const char *env = std::getenv("GANKIT_SERIAL_GEMM_FLOPS");
    return env && *env ? std::atof(env) : static_cast<double>(1 << 24);
  }();
  return flops;
}

// Drops this thread's OpenMP team size to 1 for a scope (restored even if
// oneDNN throws).
struct OneThreadIf {
  int saved = 0;
  explicit OneThreadIf(bool on) {
    if (on) {
      saved = omp_get_max_threads();
      omp_set_num_threads(1);
    }
  }
  ~OneThreadIf() {
    if (saved) omp_set_num_threads(saved);
  }
};

// Capacity: a run uses a few dozen products (each layer's forward and two
// gradients, per batch size, plus the im2col convolutions' GEMMs): 32 for a
// 2D run with R1 and evaluation, 18 for DCGAN-28 with fid10k (bench/soak.ts);
// 128 leaves room for other networks and odd last batches. Entries own no
// buffers, only JIT code, so the bound is cheap to be generous with.
constexpr size_t kMatMulCacheCapacity = 128;
Cache<Primitive> &MatMulCache() {
  static auto *c = new Cache<Primitive>("matmul", kMatMulCacheCapacity);  // never destroyed, see Engine()
  return *c;
}

}  // namespace

void Gemm(const float *a, const float *b, float *out, int64_t batchA, int64_t batchB, int64_t M,
          int64_t K, int64_t N, bool transA, bool transB, const float *bias, int biasKind, int act,
          float alpha) {
  const int64_t batch = batchA > batchB ? batchA : batchB;
  // Small products run on one thread: splitting ~100 µs of work costs a team
  // wake-up and, when another process holds the other core, a wait for it
  // (MLP-sized 256×128×128 steps ran 40% faster this way on a shared machine).
  const bool serial = 2.0 * static_cast<double>(batch) * M * N * K < SerialGemmFlops();
  OneThreadIf guard(serial);
  Key key{batchA, batchB, M, K, N, transA, transB, biasKind, omp_get_max_threads()};
  Primitive &e = MatMulCache().Get(key, [&] {
    auto en = std::make_unique<Primitive>();
    using dims = dnnl::memory::dims;
    // Row-major storage; a transposed operand is the same buffer read with
    // swapped strides, so no transpose is ever materialized.
    dnnl::memory::desc a_md(dims{batchA, M, K}, dt::f32,
                            transA ? dims{M * K, 1, M} : dims{M * K, K, 1});
    dnnl::memory::desc b_md(dims{batchB, K, N}, dt::f32,
                            transB ? dims{K * N, 1, K} : dims{K * N, N, 1});
    dnnl::memory::desc c_md(dims{batch, M, N}, dt::f32, dims{M * N, N, 1});
    dnnl::primitive_attr attr = UserScratchpad();
    dnnl::matmul::primitive_desc pd;
    if (biasKind) {
      dnnl::memory::desc bias_md(dims{1, 1, biasKind == 2 ? 1 : N}, dt::f32, dims{N, N, 1});
      pd = dnnl::matmul::primitive_desc(dnnl::matmul::desc(a_md, b_md, bias_md, c_md), attr, Engine());
      en->Bind(DNNL_ARG_BIAS, bias_md);
    } else {
      pd = dnnl::matmul::primitive_desc(dnnl::matmul::desc(a_md, b_md, c_md), attr, Engine());
    }
    en->prim = dnnl::matmul(pd);
    en->scratchpadBytes = pd.scratchpad_desc().get_size();
    en->Bind(DNNL_ARG_SRC, a_md);
    en->Bind(DNNL_ARG_WEIGHTS, b_md);
    en->Bind(DNNL_ARG_DST, c_md);
    return en;
  });
  // biasKind is part of the key: the entry has a bias argument exactly when
  // one is passed (callers pass bias = nullptr with biasKind 0).
  e.Run({{DNNL_ARG_SRC, a}, {DNNL_ARG_WEIGHTS, b}, {DNNL_ARG_DST, out},
         {DNNL_ARG_BIAS, biasKind ? bias : nullptr}});
  // The activation runs after, not as a oneDNN post-op: those turned NaN into 0
  // (ReLU) or a number (the JIT exp behind ELU and sigmoid), where tfjs keeps NaN.
  if (act != kLinear) ApplyActivation(out, batch * M * N, act, alpha);
}

namespace {

// matmul(a, b, out, batchA, batchB, M, K, N, transA, transB, bias|null, act, alpha)
// a is [batchA, M, K] (or [batchA, K, M] when transA), b is [batchB, K, N]
// (or [batchB, N, K] when transB); batchA and batchB are equal or one is 1
// (the TS side falls back to the cpu kernel for other broadcasts).
// bias, when given, has length N (broadcast over rows) or 1.
Napi::Value MatMul(const Napi::CallbackInfo &info) {
  Napi::Env env = info.Env();
  F32 a = ArgF32(info, 0, "a");
  F32 b = ArgF32(info, 1, "b");
  F32 out = ArgF32(info, 2, "out");
  int64_t batchA = ArgInt(info, 3, "batchA"), batchB = ArgInt(info, 4, "batchB");
  int64_t M = ArgInt(info, 5, "M"), K = ArgInt(info, 6, "K"), N = ArgInt(info, 7, "N");
  bool transA = info[8].ToBoolean(), transB = info[9].ToBoolean();
  F32 bias = ArgF32Opt(info, 10, "bias");
  int act = static_cast<int>(ArgInt(info, 11, "activation"));
  float alpha = static_cast<float>(ArgNum(info, 12, "alpha"));

  int64_t batch = batchA > batchB ? batchA : batchB;
  Check(env, batchA == batchB || batchA == 1 || batchB == 1,
        "Expected batch sizes that are equal or 1 for matmul but received " +
            std::to_string(batchA) + " and " + std::to_string(batchB));
  Check(env, static_cast<int64_t>(a.length) == batchA * M * K,
        "Expected " + std::to_string(batchA * M * K) + " elements for a but received " +
            std::to_string(a.length));
  Check(env, static_cast<int64_t>(b.length) == batchB * K * N,
        "Expected " + std::to_string(batchB * K * N) + " elements for b but received " +
            std::to_string(b.length));
  Check(env, static_cast<int64_t>(out.length) == batch * M * N,
        "Expected " + std::to_string(batch * M * N) + " elements for out but received " +
            std::to_string(out.length));
  Check(env, bias.data == nullptr || bias.length == static_cast<size_t>(N) || bias.length == 1,
        "Expected a bias of length N or 1 for matmul but received length " +
            std::to_string(bias.length));

  if (batch * M * N == 0) return env.Undefined();
  Check(env, K > 0, "Expected K > 0 for matmul but received 0");
  const int biasKind = bias.data == nullptr ? 0 : (bias.length == 1 && N != 1 ? 2 : 1);
  Gemm(a.data, b.data, out.data, batchA, batchB, M, K, N, transA, transB, bias.data, biasKind, act, alpha);
  return env.Undefined();
}

}  // namespace

void InitMatMul(Napi::Env env, Napi::Object exports) {
  MatMulCache();  // registered now, so memoryUse() lists it before its first use
  exports.Set("matmul", Napi::Function::New(env, MatMul));
}

}  // namespace gk
