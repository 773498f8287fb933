// Element-wise binary ops with NumPy/tfjs broadcasting, comparisons (which
// produce tfjs's bool = Uint8Array) and Select.
//
// Broadcasting is reduced to at most a handful of dims by merging adjacent dims
// that broadcast the same way; the innermost dim then runs as a tight loop in
// one of three stride patterns (both contiguous, a scalar-like, b scalar-like)
// which the compiler vectorizes.
#include <omp.h>

#include <cmath>

#include "common.h"

namespace gk {
namespace {

// Codes shared with BinaryOp in src/backend/kernels/binary_ops.ts: names are
// "k" + the TS name (the tfjs kernel's), and test/backend/op-codes.test.ts
// checks that both sides agree.
enum BinaryOp : int {
  kAdd = 0, kSub, kMultiply, kRealDiv, kMaximum, kMinimum, kSquaredDifference, kPow, kCopyA,
  kGreater, kGreaterEqual, kLess, kLessEqual, kEqual, kNotEqual,
  kNumBinary
};
constexpr int kFirstCompare = kGreater;

// tfjs Maximum/Minimum propagate NaN (they use "a >= b ? a : b" after an isNaN
// check in cpu); we match that explicitly.
struct OpAdd { static float f(float a, float b) { return a + b; } };
struct OpSub { static float f(float a, float b) { return a - b; } };
struct OpMul { static float f(float a, float b) { return a * b; } };
struct OpDiv { static float f(float a, float b) { return a / b; } };
struct OpMax { static float f(float a, float b) { return (a != a || b != b) ? NAN : (a > b ? a : b); } };
struct OpMin { static float f(float a, float b) { return (a != a || b != b) ? NAN : (a < b ? a : b); } };
struct OpSqd { static float f(float a, float b) { float d = a - b; return d * d; } };
// Broadcast a into out (b ignored): how Tile and BroadcastTo run.
struct OpCopyA { static float f(float a, float) { return a; } };
struct OpPow { static float f(float a, float b) { return std::pow(a, b); } };
struct OpGt { static uint8_t f(float a, float b) { return a > b; } };
struct OpGe { static uint8_t f(float a, float b) { return a >= b; } };
struct OpLt { static uint8_t f(float a, float b) { return a < b; } };
struct OpLe { static uint8_t f(float a, float b) { return a <= b; } };
struct OpEq { static uint8_t f(float a, float b) { return a == b; } };
struct OpNe { static uint8_t f(float a, float b) { return a != b; } };

constexpr int kMaxRank = 8;

// Broadcast plan: out dims and element strides of a and b (0 = broadcast).
struct Plan {
  int rank = 0;
  int64_t dims[kMaxRank], sa[kMaxRank], sb[kMaxRank];
  int64_t total = 1;
};

Plan MakePlan(const Napi::Env &env, const std::vector<int64_t> &out,
              const std::vector<int64_t> &as, const std::vector<int64_t> &bs) {
  const size_t r = out.size();
  Check(env, as.size() == r && bs.size() == r && r <= kMaxRank,
        "Expected shapes of equal rank (at most 8) for a, b and out but received ranks " +
            std::to_string(as.size()) + ", " + std::to_string(bs.size()) + ", " +
            std::to_string(r));
  int64_t fa[kMaxRank], fb[kMaxRank];
  int64_t ca = 1, cb = 1;
  for (int i = static_cast<int>(r) - 1; i >= 0; --i) {
    Check(env, (as[i] == out[i] || as[i] == 1) && (bs[i] == out[i] || bs[i] == 1),
          "Expected shapes broadcastable to the output for a and b but received dim " +
              std::to_string(as[i]) + " vs " + std::to_string(bs[i]) + " -> " +
              std::to_string(out[i]));
    fa[i] = as[i] == 1 ? 0 : ca;
    fb[i] = bs[i] == 1 ? 0 : cb;
    ca *= as[i];
    cb *= bs[i];
  }
  Plan p;
  for (size_t i = 0; i < r; ++i) {
    if (out[i] == 1) continue;  // size-1 dims carry no information
    if (p.rank > 0) {
      int k = p.rank - 1;
      // Merge with the previous dim when both operands step through the two
      // dims as one (contiguous) or both ignore them (broadcast).
      bool mergeA = (fa[i] == 0 && p.sa[k] == 0) || (fa[i] != 0 && p.sa[k] == fa[i] * out[i]);
      bool mergeB = (fb[i] == 0 && p.sb[k] == 0) || (fb[i] != 0 && p.sb[k] == fb[i] * out[i]);
      if (mergeA && mergeB) {
        p.dims[k] *= out[i];
        p.sa[k] = fa[i];
        p.sb[k] = fb[i];
        continue;
      }
    }
    p.dims[p.rank] = out[i];
    p.sa[p.rank] = fa[i];
    p.sb[p.rank] = fb[i];
    ++p.rank;
  }
  if (p.rank == 0) {  // scalar result
    p.rank = 1;
    p.dims[0] = 1;
    p.sa[0] = p.sb[0] = 1;
  }
  for (int i = 0; i < p.rank; ++i) p.total *= p.dims[i];
  return p;
}

template <typename Op, typename T>
void Run(const Plan &p, const float *a, const float *b, T *out) {
  const int last = p.rank - 1;
  const int64_t inner = p.dims[last], ia = p.sa[last], ib = p.sb[last];
  const int64_t rows = p.total / inner;
#pragma omp parallel for if (p.total > kParallelGrain)
  for (int64_t row = 0; row < rows; ++row) {
    int64_t offA = 0, offB = 0, rem = row;
    for (int d = last - 1; d >= 0; --d) {
      int64_t idx = rem % p.dims[d];
      rem /= p.dims[d];
      offA += idx * p.sa[d];
      offB += idx * p.sb[d];
    }
    const float *pa = a + offA;
    const float *pb = b + offB;
    T *po = out + row * inner;
    if (ia == 1 && ib == 1) {
#pragma omp simd
      for (int64_t j = 0; j < inner; ++j) po[j] = Op::f(pa[j], pb[j]);
    } else if (ia == 1) {
      const float bv = pb[0];
#pragma omp simd
      for (int64_t j = 0; j < inner; ++j) po[j] = Op::f(pa[j], bv);
    } else if (ib == 1) {
      const float av = pa[0];
#pragma omp simd
      for (int64_t j = 0; j < inner; ++j) po[j] = Op::f(av, pb[j]);
    } else {
      for (int64_t j = 0; j < inner; ++j) po[j] = Op::f(pa[j * ia], pb[j * ib]);
    }
  }
}

// binary(op, a, b, out, aShape, bShape, outShape); out is a Float32Array for
// arithmetic ops and a Uint8Array for comparisons.
Napi::Value Binary(const Napi::CallbackInfo &info) {
  Napi::Env env = info.Env();
  int64_t op = ArgInt(info, 0, "op");
  Check(env, op >= 0 && op < kNumBinary,
        "Expected a binary op code below " + std::to_string(kNumBinary) +
            " for op but received " + std::to_string(op));
  F32 a = ArgF32(info, 1, "a"), b = ArgF32(info, 2, "b");
  Plan p = MakePlan(env, ArgDims(info, 6, "outShape"), ArgDims(info, 4, "aShape"),
                    ArgDims(info, 5, "bShape"));
  if (op >= kFirstCompare) {
    size_t len;
    uint8_t *out = ArgU8(info, 3, "out", &len);
    Check(env, static_cast<int64_t>(len) == p.total,
          "Expected " + std::to_string(p.total) + " elements for out but received " +
              std::to_string(len));
    switch (op) {
      case kGreater: Run<OpGt>(p, a.data, b.data, out); break;
      case kGreaterEqual: Run<OpGe>(p, a.data, b.data, out); break;
      case kLess: Run<OpLt>(p, a.data, b.data, out); break;
      case kLessEqual: Run<OpLe>(p, a.data, b.data, out); break;
      case kEqual: Run<OpEq>(p, a.data, b.data, out); break;
      case kNotEqual: Run<OpNe>(p, a.data, b.data, out); break;
    }
    return env.Undefined();
  }
  F32 out = ArgF32(info, 3, "out");
  Check(env, static_cast<int64_t>(out.length) == p.total,
        "Expected " + std::to_string(p.total) + " elements for out but received " +
            std::to_string(out.length));
  switch (op) {
    case kAdd: Run<OpAdd>(p, a.data, b.data, out.data); break;
    case kSub: Run<OpSub>(p, a.data, b.data, out.data); break;
    case kMultiply: Run<OpMul>(p, a.data, b.data, out.data); break;
    case kRealDiv: Run<OpDiv>(p, a.data, b.data, out.data); break;
    case kMaximum: Run<OpMax>(p, a.data, b.data, out.data); break;
    case kMinimum: Run<OpMin>(p, a.data, b.data, out.data); break;
    case kSquaredDifference: Run<OpSqd>(p, a.data, b.data, out.data); break;
    case kPow: Run<OpPow>(p, a.data, b.data, out.data); break;
    case kCopyA: Run<OpCopyA>(p, a.data, b.data, out.data); break;
  }
  return env.Undefined();
}

// select(cond, t, e, out): out = cond ? t : e, all of one length.
Napi::Value Select(const Napi::CallbackInfo &info) {
  Napi::Env env = info.Env();
  size_t n;
  const uint8_t *c = ArgU8(info, 0, "condition", &n);
  F32 t = ArgF32(info, 1, "t"), e = ArgF32(info, 2, "e"), out = ArgF32(info, 3, "out");
  Check(env, t.length == n && e.length == n && out.length == n,
        "Expected t, e and out of the condition's length " + std::to_string(n) +
            " for select but received " + std::to_string(t.length) + ", " +
            std::to_string(e.length) + ", " + std::to_string(out.length));
  const int64_t len = static_cast<int64_t>(n);
  const float *pt = t.data, *pe = e.data;
  float *po = out.data;
  if (len > kParallelGrain) {
#pragma omp parallel for simd
    for (int64_t i = 0; i < len; ++i) po[i] = c[i] ? pt[i] : pe[i];
  } else {
#pragma omp simd
    for (int64_t i = 0; i < len; ++i) po[i] = c[i] ? pt[i] : pe[i];
  }
  return env.Undefined();
}

}  // namespace

void InitBinary(Napi::Env env, Napi::Object exports) {
  exports.Set("binary", Napi::Function::New(env, Binary));
  exports.Set("select", Napi::Function::New(env, Select));
}

}  // namespace gk
