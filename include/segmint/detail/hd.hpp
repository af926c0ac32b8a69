// SEGMINT_HD marks math shared by both backends: __host__ __device__ under nvcc, plain C++
// everywhere else, so public headers stay free of CUDA.
#pragma once
#if defined(__CUDACC__)
#define SEGMINT_HD __host__ __device__ __forceinline__
#else
#define SEGMINT_HD inline
#endif
