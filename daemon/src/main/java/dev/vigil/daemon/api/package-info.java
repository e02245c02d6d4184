/** What the HTTP API accepts beyond plain reads: signed operator commands. */
package dev.vigil.daemon.api;
