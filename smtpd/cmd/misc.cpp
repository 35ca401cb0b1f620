// The commands outside any transaction that change nothing but QUIT's end of the session:
// NOOP, VRFY, EXPN, HELP and QUIT (RFC 5321 4.1.1.6-4.1.1.10). VRFY and EXPN reveal no
// accounts: VRFY answers 252 for every argument, EXPN is not offered.

#include "smtpd/lib/session.hpp"

namespace govmail::smtpd {
using boost::asio::awaitable;

awaitable<void> Session::on_noop(const smtp::Noop&) {
    reply(250, "2.0.0", "Ok");
    co_return;
}

awaitable<void> Session::on_vrfy(const smtp::Vrfy&) {
    reply(252, "2.5.2", "Cannot VRFY user, but will accept message and attempt delivery");
    co_return;
}

awaitable<void> Session::on_expn(const smtp::Expn&) {
    reply(502, "5.5.1", "EXPN not available");
    co_return;
}

awaitable<void> Session::on_help(const smtp::Help&) {
    reply(214, "2.0.0", "See RFC 5321");
    co_return;
}

awaitable<void> Session::on_quit(const smtp::Quit&) {
    reply(221, "2.0.0", "Bye");
    quit_ = true;
    co_return;
}

}  // namespace govmail::smtpd
