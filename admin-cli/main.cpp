// mailadm: thin entry point over the admin-cli library (see mailadm.hpp).

#include <iostream>

#include "admin-cli/mailadm.hpp"

int main(int argc, char** argv) {
    return govmail::admin::run_mailadm(argc, argv, std::cout, std::cerr);
}
