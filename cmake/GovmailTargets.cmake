# Helpers that keep every folder's CMakeLists.txt to a list of sources and dependencies.

# govmail_library(NAME SOURCES ... DEPS ...): a static library named govmail_NAME whose headers
# are included as "folder/file.hpp" from the repository root.
function(govmail_library name)
    cmake_parse_arguments(ARG "" "" "SOURCES;DEPS" ${ARGN})
    add_library(govmail_${name} STATIC ${ARG_SOURCES})
    target_include_directories(govmail_${name} PUBLIC ${PROJECT_SOURCE_DIR})
    target_link_libraries(govmail_${name} PUBLIC ${ARG_DEPS})
endfunction()

# govmail_test(NAME SOURCES ... DEPS ... LABEL unit|pg|integration [THREADS]): a GoogleTest
# binary, registered with CTest under its label. Tests labelled pg get the database from the
# fixture in tests/support (an embedded cluster started by the test command). THREADS marks a
# binary whose tests run code on several threads: the `threaded_tests` target builds it, and a
# build with GOVMAIL_THREADED_TESTS_ONLY (the tsan preset) registers only such tests with CTest.
function(govmail_test name)
    cmake_parse_arguments(ARG "THREADS" "LABEL" "SOURCES;DEPS" ${ARGN})
    add_executable(${name} ${ARG_SOURCES})
    target_link_libraries(${name} PRIVATE ${ARG_DEPS} GTest::gtest GTest::gtest_main)
    if(ARG_THREADS)
        add_dependencies(threaded_tests ${name})
    elseif(GOVMAIL_THREADED_TESTS_ONLY)
        return()
    endif()
    set(properties LABELS ${ARG_LABEL})
    if(ARG_LABEL STREQUAL "pg" OR ARG_LABEL STREQUAL "integration")
        target_link_libraries(${name} PRIVATE govmail_test_support)
        list(APPEND properties
            FIXTURES_REQUIRED pg
            ENVIRONMENT "GOVMAIL_TEST_PG_ROOT=${GOVMAIL_TEST_PG_ROOT}")
    elseif(ARG_LABEL STREQUAL "dns")
        # The DNS server of the `dns` fixture (tests/support/test_dns.py).
        list(APPEND properties
            FIXTURES_REQUIRED dns
            ENVIRONMENT "GOVMAIL_TEST_DNS_ROOT=${GOVMAIL_TEST_DNS_ROOT}")
    endif()
    gtest_discover_tests(${name} DISCOVERY_TIMEOUT 60 PROPERTIES ${properties})
endfunction()

# govmail_forbid_includes(FOLDER ...): fails the configuration when a source or header of the
# calling folder includes a header of one of FOLDERs, so the layers stay apart (the portal
# and selfservice/ never reach into admin-cli/, say).
function(govmail_forbid_includes)
    file(GLOB_RECURSE sources CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/*.cpp
        ${CMAKE_CURRENT_SOURCE_DIR}/*.hpp)
    foreach(source ${sources})
        foreach(folder ${ARGN})
            file(STRINGS ${source} hits REGEX "^#include \"${folder}/")
            if(hits)
                message(FATAL_ERROR "${source} includes ${folder}/: ${hits}")
            endif()
        endforeach()
    endforeach()
endfunction()
