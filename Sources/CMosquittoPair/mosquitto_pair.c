#define _GNU_SOURCE
#include <errno.h>
#include <mosquitto.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "mosquitto_pair.h"

// Set only around mosquitto_new on the calling thread; every other socketpair call passes through.
static _Thread_local bool refusing;
static _Thread_local bool refused;

// The executable's definition comes first in symbol lookup, so libmosquitto's call lands here.
int socketpair(int domain, int type, int protocol, int sv[2]) {
    if (refusing) {
        refused = true;
        errno = EMFILE;
        return -1;
    }
    return (int)syscall(SYS_socketpair, domain, type, protocol, sv);
}

struct mosquitto *plantgate_mosquitto_new_without_pair(const char *id, bool clean_session, void *obj, bool *pair_refused) {
    refused = false;
    refusing = true;
    struct mosquitto *handle = mosquitto_new(id, clean_session, obj);
    refusing = false;
    *pair_refused = refused;
    return handle;
}
