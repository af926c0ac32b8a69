// SEGMINT_HD marks math shared by both backends: __host__ __device__ under nvcc, plain C++
// everywhere else, so public headers stay free of CUDA.
#pragma once
// SEGMINT_HD_INLINE also forces inlining on the host, for the few called from the CPU
// kernels' inner loops with vectors (a call passes them through memory).
#if defined(__CUDACC__)
#define SEGMINT_HD __host__ __device__ __forceinline__
#define SEGMINT_HD_INLINE __host__ __device__ __forceinline__
#else
#define SEGMINT_HD inline
#define SEGMINT_HD_INLINE inline __attribute__((always_inline))
#endif
