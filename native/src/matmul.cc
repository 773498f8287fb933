// MatMul / BatchMatMul / _FusedMatMul through oneDNN's sgemm.
//
// dnnl_sgemm goes straight to oneDNN's JIT GEMM driver with no primitive to
// create, which keeps the small matmuls of MLP workloads (256×128×128) cheap
// to dispatch; its own OpenMP threading handles the large ones.
#include <omp.h>

#include "common.h"

namespace gk {
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

  const int64_t lda = transA ? M : K, ldb = transB ? K : N;
  for (int64_t i = 0; i < batch; ++i) {
    const float *ai = a.data + (batchA == 1 ? 0 : i * M * K);
    const float *bi = b.data + (batchB == 1 ? 0 : i * K * N);
    float *ci = out.data + i * M * N;
    if (M == 0 || N == 0) continue;
    if (K == 0) {
      std::fill(ci, ci + M * N, 0.f);
      continue;
    }
    dnnl_status_t st = dnnl_sgemm(transA ? 'T' : 'N', transB ? 'T' : 'N', M, N, K, 1.f,
                                  ai, lda, bi, ldb, 0.f, ci, N);
    Check(env, st == dnnl_success, "oneDNN sgemm failed with status " + std::to_string(st));
  }
  if (bias.data) {
    const int64_t rows = batch * M;
    const float *bv = bias.data;
    const bool scalar = bias.length == 1;
#pragma omp parallel for if (rows * N > kParallelGrain)
    for (int64_t r = 0; r < rows; ++r) {
      float *row = out.data + r * N;
      if (scalar)
        for (int64_t j = 0; j < N; ++j) row[j] += bv[0];
      else
        for (int64_t j = 0; j < N; ++j) row[j] += bv[j];
    }
  }
  if (act != kLinear) ApplyActivation(out.data, batch * M * N, act, alpha);
  return env.Undefined();
}

}  // namespace

void InitMatMul(Napi::Env env, Napi::Object exports) {
  exports.Set("matmul", Napi::Function::New(env, MatMul));
}

}  // namespace gk
