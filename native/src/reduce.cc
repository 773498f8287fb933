// Reductions over one contiguous block of axes: the TS side views x as
// [outer, r, inner] (transposing first when the axes are not contiguous) and we
// reduce the middle dim. Sums accumulate in double like tfjs-backend-cpu (whose
// JS numbers are doubles), so large sums agree to float precision.
#include <omp.h>

#include <cmath>
#include <vector>

#include "common.h"

namespace gk {
namespace {

// Codes shared with ReduceOp in src/backend/kernels/reduce_ops.ts ("k" + the
// TS name); test/backend/op-codes.test.ts checks that both sides agree.
enum ReduceOp : int { kSum = 0, kMean, kMax, kMin, kProd, kNumReduce };

inline double Combine(int op, double acc, float v) {
  switch (op) {
    case kMax: return (std::isnan(v) || v > acc) ? v : acc;
    case kMin: return (std::isnan(v) || v < acc) ? v : acc;
    case kProd: return acc * v;
    default: return acc + v;
  }
}

// Rows: reduce r contiguous values for each of outer*1 outputs.
void ReduceRows(int op, const float *x, float *out, int64_t outer, int64_t r) {
#pragma omp parallel for if (outer * r > kParallelGrain)
  for (int64_t o = 0; o < outer; ++o) {
    const float *p = x + o * r;
    double acc;
    if (op == kSum || op == kMean) {
      acc = 0;
#pragma omp simd reduction(+ : acc)
      for (int64_t i = 0; i < r; ++i) acc += p[i];
    } else {
      acc = op == kProd ? 1.0 : p[0];
      for (int64_t i = op == kProd ? 0 : 1; i < r; ++i) acc = Combine(op, acc, p[i]);
    }
    out[o] = static_cast<float>(op == kMean ? acc / r : acc);
  }
}

// Columns: for each outer block, reduce r rows of `inner` values. When there
// is a single outer block (e.g. a bias gradient [N·H·W, C] → [C]) the rows are
// split among threads, each with its own partial accumulator.
void ReduceCols(int op, const float *x, float *out, int64_t outer, int64_t r, int64_t inner) {
  const bool splitRows = outer < omp_get_max_threads() && r * inner > kParallelGrain;
  for (int64_t o = 0; o < outer && splitRows; ++o) {
    const float *base = x + o * r * inner;
    const int nt = omp_get_max_threads();
    std::vector<double> part(static_cast<size_t>(nt) * inner);
    std::vector<char> used(nt, 0);
#pragma omp parallel
    {
      const int t = omp_get_thread_num();
      double *acc = part.data() + static_cast<size_t>(t) * inner;
      bool first = true;
#pragma omp for schedule(static)
      for (int64_t i = 0; i < r; ++i) {
        const float *row = base + i * inner;
        if (first) {
          for (int64_t j = 0; j < inner; ++j) acc[j] = row[j];
          first = false;
        } else if (op == kSum || op == kMean) {
#pragma omp simd
          for (int64_t j = 0; j < inner; ++j) acc[j] += row[j];
        } else {
          for (int64_t j = 0; j < inner; ++j) acc[j] = Combine(op, acc[j], row[j]);
        }
      }
      used[t] = !first;
    }
    float *dst = out + o * inner;
    for (int64_t j = 0; j < inner; ++j) {
      bool have = false;
      double acc = 0;
      for (int t = 0; t < nt; ++t) {
        if (!used[t]) continue;
        double v = part[static_cast<size_t>(t) * inner + j];
        if (!have) acc = v, have = true;
        else if (op == kSum || op == kMean) acc += v;
        else if (op == kProd) acc *= v;
        else acc = Combine(op, acc, static_cast<float>(v));
      }
      dst[j] = static_cast<float>(op == kMean ? acc / r : acc);
    }
  }
  if (splitRows) return;
#pragma omp parallel for if (outer * r * inner > kParallelGrain)
  for (int64_t o = 0; o < outer; ++o) {
    const float *base = x + o * r * inner;
    std::vector<double> acc(base, base + inner);
    for (int64_t i = 1; i < r; ++i) {
      const float *row = base + i * inner;
      if (op == kSum || op == kMean) {
#pragma omp simd
        for (int64_t j = 0; j < inner; ++j) acc[j] += row[j];
      } else {
        for (int64_t j = 0; j < inner; ++j) acc[j] = Combine(op, acc[j], row[j]);
      }
    }
    float *dst = out + o * inner;
    for (int64_t j = 0; j < inner; ++j)
      dst[j] = static_cast<float>(op == kMean ? acc[j] / r : acc[j]);
  }
}

// reduce(op, x, out, outer, r, inner)
Napi::Value Reduce(const Napi::CallbackInfo &info) {
  Napi::Env env = info.Env();
  int64_t op = ArgInt(info, 0, "op");
  Check(env, op >= 0 && op < kNumReduce,
        "Expected a reduce op code below " + std::to_string(kNumReduce) +
            " for op but received " + std::to_string(op));
  F32 x = ArgF32(info, 1, "x"), out = ArgF32(info, 2, "out");
  int64_t outer = ArgInt(info, 3, "outer"), r = ArgInt(info, 4, "r"),
          inner = ArgInt(info, 5, "inner");
  Check(env, static_cast<int64_t>(x.length) == outer * r * inner && r >= 1,
        "Expected x of " + std::to_string(outer * r * inner) +
            " elements (and r >= 1) but received " + std::to_string(x.length));
  Check(env, static_cast<int64_t>(out.length) == outer * inner,
        "Expected " + std::to_string(outer * inner) + " elements for out but received " +
            std::to_string(out.length));
  if (inner == 1) ReduceRows(static_cast<int>(op), x.data, out.data, outer, r);
  else ReduceCols(static_cast<int>(op), x.data, out.data, outer, r, inner);
  return env.Undefined();
}

}  // namespace

void InitReduce(Napi::Env env, Napi::Object exports) {
  exports.Set("reduce", Napi::Function::New(env, Reduce));
}

}  // namespace gk
