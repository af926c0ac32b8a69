# Parquet input for the CLI (SEGMINT_PARQUET: AUTO, ON, OFF): Arrow C++ and Parquet from an
# installed Arrow (find_package) or from the pyarrow wheel of a Python interpreter
# (SEGMINT_PYARROW_PYTHON, default python3: its pyarrow.get_include() and get_library_dirs()).
# Defines segmint_with_parquet and, when found, the target segmint_parquet (the reader) and
# segmint_arrow_rpath (pyarrow's library folder: an installed CLI keeps finding it there).
set(segmint_with_parquet OFF)
set(segmint_arrow_rpath "")
if(SEGMINT_PARQUET STREQUAL "OFF")
  return()
endif()

set(segmint_arrow_libs "")
find_package(Arrow CONFIG QUIET)
find_package(Parquet CONFIG QUIET)
if(TARGET Arrow::arrow_shared AND TARGET Parquet::parquet_shared)
  set(segmint_arrow_libs Arrow::arrow_shared Parquet::parquet_shared)
  set(segmint_arrow_origin "Arrow C++ ${Arrow_VERSION}")
else()
  if(NOT SEGMINT_PYARROW_PYTHON)
    find_program(SEGMINT_PYARROW_PYTHON NAMES python3 python)
  endif()
  if(SEGMINT_PYARROW_PYTHON)
    execute_process(
      COMMAND "${SEGMINT_PYARROW_PYTHON}" -c
              "import pyarrow as pa; print(pa.get_include()); print(pa.get_library_dirs()[0]); print(pa.__version__)"
      OUTPUT_VARIABLE segmint_pyarrow_out RESULT_VARIABLE segmint_pyarrow_rc ERROR_QUIET
      OUTPUT_STRIP_TRAILING_WHITESPACE)
    if(segmint_pyarrow_rc EQUAL 0)
      string(REPLACE "\n" ";" segmint_pyarrow_out "${segmint_pyarrow_out}")
      list(GET segmint_pyarrow_out 0 segmint_pyarrow_include)
      list(GET segmint_pyarrow_out 1 segmint_pyarrow_libdir)
      list(GET segmint_pyarrow_out 2 segmint_pyarrow_version)
      # The wheel ships versioned sonames only (libarrow.so.2600): link those files directly.
      file(GLOB segmint_libarrow "${segmint_pyarrow_libdir}/libarrow.so.[0-9]*")
      file(GLOB segmint_libparquet "${segmint_pyarrow_libdir}/libparquet.so.[0-9]*")
      if(segmint_libarrow AND segmint_libparquet
         AND EXISTS "${segmint_pyarrow_include}/parquet/arrow/reader.h")
        list(GET segmint_libarrow 0 segmint_libarrow)
        list(GET segmint_libparquet 0 segmint_libparquet)
        foreach(lib arrow parquet)
          add_library(segmint_pyarrow_${lib} SHARED IMPORTED)
          set_target_properties(segmint_pyarrow_${lib} PROPERTIES
            IMPORTED_LOCATION "${segmint_lib${lib}}"
            INTERFACE_INCLUDE_DIRECTORIES "${segmint_pyarrow_include}")
        endforeach()
        set(segmint_arrow_libs segmint_pyarrow_parquet segmint_pyarrow_arrow)
        set(segmint_arrow_rpath "${segmint_pyarrow_libdir}")
        set(segmint_arrow_origin "pyarrow ${segmint_pyarrow_version} (${segmint_pyarrow_libdir})")
      endif()
    endif()
  endif()
endif()

if(NOT segmint_arrow_libs)
  if(SEGMINT_PARQUET STREQUAL "ON")
    message(FATAL_ERROR "SEGMINT_PARQUET=ON but neither Arrow C++/Parquet nor pyarrow was found")
  endif()
  message(STATUS "segmint: Parquet input OFF (no Arrow C++; pip install pyarrow to get it)")
  return()
endif()

set(segmint_with_parquet ON)
message(STATUS "segmint: Parquet input ON, from ${segmint_arrow_origin}")
# A module the CLI loads on its first Parquet file (host/ingest/parquet_module.hpp): linked into
# the CLI, Arrow and Parquet added ~7.6 ms to the start of every command. It needs nothing of
# segmint's (an Arrow C stream crosses), exports one symbol, and lies beside the CLI in the build
# tree and in <libdir>/segmint once installed.
add_library(segmint_parquet MODULE ${PROJECT_SOURCE_DIR}/host/ingest/parquet_reader.cpp)
target_compile_features(segmint_parquet PRIVATE cxx_std_20)  # Arrow's headers need C++20
target_include_directories(segmint_parquet PRIVATE ${PROJECT_SOURCE_DIR}/host)
target_link_libraries(segmint_parquet PRIVATE ${segmint_arrow_libs})
target_compile_options(segmint_parquet PRIVATE ${segmint_warnings})
set_target_properties(segmint_parquet PROPERTIES
  LIBRARY_OUTPUT_DIRECTORY ${PROJECT_BINARY_DIR}
  CXX_VISIBILITY_PRESET hidden VISIBILITY_INLINES_HIDDEN ON
  INSTALL_RPATH "${segmint_arrow_rpath}")
set(segmint_parquet_module_dir ${CMAKE_INSTALL_LIBDIR}/segmint)
# Where the installed CLI finds it, relative to its own folder.
file(RELATIVE_PATH segmint_parquet_module_rel "/${CMAKE_INSTALL_BINDIR}"
     "/${segmint_parquet_module_dir}/libsegmint_parquet.so")
