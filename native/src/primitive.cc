// Primitive: a cached oneDNN primitive bound to the caller's buffers per call,
// with the weight reorder convolutions need when oneDNN picks a blocked layout.
#include <stdexcept>

#include "common.h"

namespace gk {

using dnnl::memory;

void Primitive::Bind(int arg, const memory::desc &md) {
  slots_.push_back({arg, memory(md, Engine(), DNNL_MEMORY_NONE)});
}

void Primitive::BindWeights(int arg, const memory::desc &chosen, const memory::desc &user,
                            Flow flow) {
  weiArg_ = arg;
  flow_ = flow;
  user_ = memory(user, Engine(), DNNL_MEMORY_NONE);
  reorderWeights_ = chosen != user;
  if (reorderWeights_) {
    wei_ = memory(chosen, Engine());  // oneDNN-owned scratch for the blocked weights
    reorder_ = flow == Flow::kOut ? dnnl::reorder(wei_, user_) : dnnl::reorder(user_, wei_);
  } else {
    wei_ = memory(chosen, Engine(), DNNL_MEMORY_NONE);
  }
}

void Primitive::Run(std::initializer_list<std::pair<int, const float *>> bufs) {
  std::unordered_map<int, memory> args;
  // oneDNN takes void*; it writes only through the output arguments.
  for (const auto &[arg, data] : bufs) {
    if (data == nullptr) continue;
    void *p = const_cast<float *>(data);
    if (arg == weiArg_) {
      user_.set_data_handle(p);
      if (!reorderWeights_) wei_.set_data_handle(p);
      args.emplace(arg, wei_);
      continue;
    }
    for (Slot &s : slots_) {
      if (s.arg != arg) continue;
      s.mem.set_data_handle(p);
      args.emplace(arg, s.mem);
      break;
    }
  }
  // A bound argument left out would run on the previous call's (maybe freed)
  // buffer: a bug in the caller, never a user error.
  if (args.size() != slots_.size() + (weiArg_ != 0 ? 1 : 0))
    throw std::logic_error("gankit: Primitive::Run got other arguments than were bound");
  if (reorderWeights_ && flow_ == Flow::kIn) reorder_.execute(Stream(), user_, wei_);
  prim.execute(Stream(), args);
  if (reorderWeights_ && flow_ == Flow::kOut) reorder_.execute(Stream(), wei_, user_);
  Stream().wait();
}

}  // namespace gk
