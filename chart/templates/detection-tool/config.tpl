{{/* The detection tool's config file (keys of detection_tool.settings.DetectionToolSettings) */}}
{{- define "dsensor.detectionTool.config" -}}
{{- $base := dict
  "grpc" (dict "port" (int .Values.detectionTool.grpcPort))
  "http" (dict "port" (int .Values.detectionTool.httpPort))
  "logging" (dict "level" .Values.detectionTool.logLevel "format" "json")
}}
{{- include "dsensor.configFile" (dict "base" $base "values" .Values.detectionTool) }}
{{- end }}

{{- define "dsensor.detectionTool.env" -}}
{{- if not .Values.useExternalSecrets }}
{{ include "dsensor.secretEnv" (dict "root" . "name" "SVRN_DETECTION_TOOL_OTAREGISTRY_AUTH_TOKEN") }}
{{- end }}
{{ include "dsensor.proxyEnv" . }}
{{- with .Values.detectionTool.env }}
{{ toYaml . }}
{{- end }}
{{- end }}
