// Entry point of the gankit native addon: owns the oneDNN engine and stream,
// the thread count, and gathers the kernels each file registers.
#include <omp.h>

#include "common.h"

namespace gk {

// The engine, stream and primitive caches are deliberately never destroyed:
// at process exit static destructors run in an order that could free the
// engine before the primitives that reference it.
dnnl::engine &Engine() {
  static auto *eng = new dnnl::engine(dnnl::engine::kind::cpu, 0);
  return *eng;
}

dnnl::stream &Stream() {
  static auto *s = new dnnl::stream(Engine());
  return *s;
}

namespace {

// oneDNN (Debian's build) and our own loops both run on libgomp's team, so one
// omp_set_num_threads call governs every kernel. tfjs only ever calls us from
// the JS main thread, whose OpenMP settings are the ones that count.
Napi::Value SetNumThreads(const Napi::CallbackInfo &info) {
  int64_t n = ArgInt(info, 0, "threads");
  Check(info.Env(), n >= 1 && n <= 1024,
        "Expected threads to be an integer from 1 to 1024 but received " +
            std::to_string(n));
  omp_set_num_threads(static_cast<int>(n));
  return info.Env().Undefined();
}

Napi::Value GetNumThreads(const Napi::CallbackInfo &info) {
  return Napi::Number::New(info.Env(), omp_get_max_threads());
}

Napi::Value Version(const Napi::CallbackInfo &info) {
  const dnnl_version_t *v = dnnl_version();
  Napi::Object o = Napi::Object::New(info.Env());
  o.Set("onednn", std::to_string(v->major) + "." + std::to_string(v->minor) + "." +
                      std::to_string(v->patch));
  o.Set("cpuRuntime", v->cpu_runtime == DNNL_RUNTIME_OMP ? "omp" : "other");
  return o;
}

}  // namespace

Napi::Object Init(Napi::Env env, Napi::Object exports) {
  exports.Set("setNumThreads", Napi::Function::New(env, SetNumThreads));
  exports.Set("getNumThreads", Napi::Function::New(env, GetNumThreads));
  exports.Set("version", Napi::Function::New(env, Version));
  InitMatMul(env, exports);
  InitConv(env, exports);
  InitUnary(env, exports);
  InitBinary(env, exports);
  InitReduce(env, exports);
  InitTranspose(env, exports);
  InitBatchNorm(env, exports);
  InitOptim(env, exports);
  InitMemory(env, exports);
  return exports;
}

}  // namespace gk

static Napi::Object InitAddon(Napi::Env env, Napi::Object exports) {
  return gk::Init(env, exports);
}

NODE_API_MODULE(gankit_native, InitAddon)
