/*
 * Lakes: a directory with tarn.catalog and data/.  Creating one makes the
 * catalog (owned by the operating-system user running tarn) and the data
 * folder; opening one checks the catalog's format (catalog/catalog.c).
 */
#include "api/api_int.h"

#include <errno.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char *current_user(void);

/* The lake's owner is the user who created it, as PostgreSQL's initdb
 * makes the bootstrap superuser. */
static const char *current_user(void)
{
    struct passwd *pw = getpwuid(geteuid());
    if (pw != NULL && pw->pw_name != NULL && pw->pw_name[0] != '\0')
        return pw->pw_name;
    const char *user = getenv("USER");
    return user != NULL && user[0] != '\0' ? user : "tarn";
}

int tn_lake_create(const char *dir, tn_error *err)
{
    tn_catalog *catalog = tn_catalog_create(dir, current_user(), err);
    if (catalog == NULL)
        return -1;
    tn_catalog_close(catalog);
    size_t size = strlen(dir) + sizeof "/data";
    char *data_dir = malloc(size);
    if (data_dir == NULL)
        return tn_error_oom(err);
    snprintf(data_dir, size, "%s/data", dir);
    int rc = 0;
    if (mkdir(data_dir, 0777) != 0 && errno != EEXIST)
        rc = tn_error_set(err, TN_ERR_IO_ERROR, 0, "could not create directory \"%s\": %s",
                          data_dir, strerror(errno));
    free(data_dir);
    return rc;
}

tn_lake *tn_lake_open(const char *dir, tn_error *err)
{
    tn_lake *lake = calloc(1, sizeof(tn_lake));
    if (lake == NULL) {
        tn_error_oom(err);
        return NULL;
    }
    lake->dir = strdup(dir);
    if (lake->dir == NULL) {
        tn_error_oom(err);
        free(lake);
        return NULL;
    }
    lake->catalog = tn_catalog_open(dir, err);
    if (lake->catalog == NULL) {
        tn_lake_close(lake);
        return NULL;
    }
    return lake;
}

void tn_lake_close(tn_lake *lake)
{
    if (lake == NULL)
        return;
    tn_catalog_close(lake->catalog);
    free(lake->dir);
    free(lake);
}

const char *tn_lake_owner(const tn_lake *lake)
{
    return tn_catalog_owner(lake->catalog);
}
