/**
 * Vigil's wire protocol v1: the fixed frame header, the message body layouts and a total
 * structural decoder. Flyweights over Agrona buffers in Aeron's style: one offset constant per
 * field, static accessors, nothing allocated when reading fixed fields. Signatures are not made
 * or checked here (that is the crypto module's job); this package only knows where they sit.
 */
package dev.vigil.wire;
