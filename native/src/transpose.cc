// Transpose with any permutation (rank ≤ 8). Dims of size 1 are dropped and
// runs of axes that stay adjacent are merged first, so most real transposes
// become 2D or 3D; the innermost output dim is a strided gather.
#include <omp.h>

#include "common.h"

namespace gk {
namespace {

constexpr int kMaxRank = 8;

// transpose(x, out, shape, perm)
Napi::Value Transpose(const Napi::CallbackInfo &info) {
  Napi::Env env = info.Env();
  F32 x = ArgF32(info, 0, "x"), out = ArgF32(info, 1, "out");
  std::vector<int64_t> shape = ArgDims(info, 2, "shape"), perm = ArgDims(info, 3, "perm");
  const int r = static_cast<int>(shape.size());
  Check(env, r <= kMaxRank && perm.size() == shape.size(),
        "Expected a perm of the shape's rank (at most 8) but received rank " +
            std::to_string(perm.size()) + " for shape of rank " + std::to_string(r));
  int64_t total = 1;
  for (int64_t d : shape) total *= d;
  Check(env, static_cast<int64_t>(x.length) == total && out.length == x.length,
        "Expected x and out of " + std::to_string(total) + " elements but received " +
            std::to_string(x.length) + " and " + std::to_string(out.length));
  if (total == 0) return env.Undefined();

  // Input strides, then the output's view: for output axis i, its size and the
  // input stride it walks.
  int64_t inStride[kMaxRank];
  int64_t s = 1;
  for (int i = r - 1; i >= 0; --i) inStride[i] = s, s *= shape[i];
  int64_t dims[kMaxRank], strides[kMaxRank];
  int n = 0;
  for (int i = 0; i < r; ++i) {
    int64_t ax = perm[i];
    Check(env, ax >= 0 && ax < r, "Expected perm entries in [0, rank) but received " +
                                      std::to_string(ax));
    if (shape[ax] == 1) continue;
    // Merge with the previous output axis when the input walks them as one.
    if (n > 0 && strides[n - 1] == inStride[ax] * shape[ax]) {
      dims[n - 1] *= shape[ax];
      strides[n - 1] = inStride[ax];
      continue;
    }
    dims[n] = shape[ax];
    strides[n] = inStride[ax];
    ++n;
  }
  if (n == 0 || (n == 1 && strides[0] == 1)) {
    std::copy(x.data, x.data + total, out.data);
    return env.Undefined();
  }
  const int64_t inner = dims[n - 1], is = strides[n - 1];
  const int64_t rows = total / inner;
#pragma omp parallel for if (total > kParallelGrain)
  for (int64_t row = 0; row < rows; ++row) {
    int64_t off = 0, rem = row;
    for (int d = n - 2; d >= 0; --d) {
      off += (rem % dims[d]) * strides[d];
      rem /= dims[d];
    }
    const float *src = x.data + off;
    float *dst = out.data + row * inner;
    for (int64_t j = 0; j < inner; ++j) dst[j] = src[j * is];
  }
  return env.Undefined();
}

}  // namespace

void InitTranspose(Napi::Env env, Napi::Object exports) {
  exports.Set("transpose", Napi::Function::New(env, Transpose));
}

}  // namespace gk
