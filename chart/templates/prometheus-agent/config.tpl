{{/* [component, metrics port] of every component this installation runs */}}
{{- define "dsensor.metricsTargets" -}}
{{- $targets := list }}
{{- if .Values.dim.enabled }}
{{- $targets = append $targets (list "interceptor" (int .Values.interceptor.httpPort)) }}
{{- $targets = append $targets (list "digger" (int .Values.digger.httpPort)) }}
{{- end }}
{{- if .Values.dar.enabled }}
{{- $targets = append $targets (list "crawler" (int .Values.crawler.httpPort)) }}
{{- end }}
{{- if or .Values.dim.enabled .Values.dar.enabled }}
{{- $targets = append $targets (list "detection-tool" (int .Values.detectionTool.httpPort)) }}
{{- end }}
{{- if .Values.console.enabled }}
{{- $targets = append $targets (list "console" (int .Values.console.service.httpPort)) }}
{{- end }}
{{- toJson $targets }}
{{- end }}

{{- define "dsensor.prometheusAgent.config" -}}
{{- $scrape := list }}
{{- range $target := include "dsensor.metricsTargets" . | fromJsonArray }}
{{- $name := printf "%s-metrics.%s.svc" (include "dsensor.componentName" (dict "root" $ "component" (index $target 0))) $.Release.Namespace }}
{{- $sd := dict "names" (list $name) "type" "A" "port" (index $target 1) }}
{{- $scrape = append $scrape (dict "job_name" (printf "dsensor-%s" (index $target 0)) "dns_sd_configs" (list $sd)) }}
{{- end }}
{{- $config := dict
  "global" (dict "scrape_interval" .Values.prometheusAgent.scrapeInterval "external_labels" (dict "cluster" .Values.clusterName))
  "scrape_configs" $scrape
}}
{{- with .Values.prometheusAgent.remoteWrite }}
{{- $_ := set $config "remote_write" . }}
{{- end }}
{{- toYaml $config }}
{{- end }}
