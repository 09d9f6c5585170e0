/**
 * The interchange documents as the OpenAPI document describes them. The service reads these bodies with
 * {@code ProblemReader}, which names the field and value of every error; these records only say what a client
 * may send, so a client generated from the OpenAPI document builds valid requests.
 */
package io.gpuplacer.service.api.schema;
