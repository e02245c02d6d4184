/**
 * The node's YAML configuration: the file's shape ({@link dev.vigil.daemon.config.ConfigFile}),
 * its loading with errors that name the file, the field and what was expected
 * ({@link dev.vigil.daemon.config.ConfigLoader}), and the resolved, validated result
 * ({@link dev.vigil.daemon.config.NodeConfig}).
 */
package dev.vigil.daemon.config;
