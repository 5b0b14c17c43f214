"""commentscope: social listening for creator comment sections. Importing it turns on log redaction."""

from commentscope.redact import install_log_redaction

install_log_redaction()
