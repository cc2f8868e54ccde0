/* A C program that uses libocscert through its installed header only. */
#include <stdio.h>

#include <ocscert/ocscert.h>

int main(void)
{
    ocscert_context *context = NULL;
    ocscert_error *error = NULL;
    if (ocscert_context_new(&context, NULL, &error) != OCSCERT_OK) {
        fprintf(stderr, "ocscert_context_new failed: %s\n", ocscert_error_message(error));
        ocscert_error_free(error);
        return 1;
    }
    ocscert_context_free(context);
    printf("ocscert %s\n", ocscert_version());
    return 0;
}
