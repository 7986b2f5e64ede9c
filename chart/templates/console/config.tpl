{{/* The console's config file (keys of sensor_console.settings.ConsoleSettings); the sensor
     tokens come as SVRN_CONSOLE_SENSORTOKENS from the Secret */}}
{{- define "dsensor.console.config" -}}
{{- $base := dict
  "grpc" (dict "port" (int .Values.console.service.grpcPort))
  "http" (dict "port" (int .Values.console.service.httpPort))
  "datadir" "/var/lib/dsensor"
  "logging" (dict "level" .Values.console.logLevel "format" "json")
}}
{{- include "dsensor.configFile" (dict "base" $base "values" .Values.console) }}
{{- end }}

{{- define "dsensor.console.env" -}}
{{- if not .Values.useExternalSecrets }}
{{ include "dsensor.secretEnv" (dict "root" . "name" "SVRN_CONSOLE_SENSORTOKENS") }}
{{- end }}
{{- with .Values.console.env }}
{{ toYaml . }}
{{- end }}
{{- end }}
