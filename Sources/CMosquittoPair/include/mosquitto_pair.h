#ifndef PLANTGATE_MOSQUITTO_PAIR_H
#define PLANTGATE_MOSQUITTO_PAIR_H

#include <stdbool.h>

struct mosquitto;

/// mosquitto_new, but without the socket pair libmosquitto opens to wake its own network thread.
///
/// libmosquitto writes one byte to that pair on every publish, in every threading mode. plantgate runs
/// it unthreaded and never reads the pair, so each publish paid a second system call that failed with
/// EAGAIN (about 0.4 us; without it the daemon used 11-20 % less CPU at 1,000 messages/s). libmosquitto
/// treats a pair it cannot open as normal: it logs a warning and never touches it again.
///
/// `*pair_refused` is set to whether the pair was refused: false if this process's `socketpair` is not
/// the one in mosquitto_pair.c (a link that did not export it), and libmosquitto has its pair as before.
struct mosquitto *plantgate_mosquitto_new_without_pair(const char *id, bool clean_session, void *obj, bool *pair_refused);

#endif
